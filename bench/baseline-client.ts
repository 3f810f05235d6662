// The fan-out baseline as its own process: a plain loop POSTing N push bodies to the sink with the
// webhook provider's client and a fixed concurrency, no Temporal, no database. A fresh process per
// run: inside the long-lived bench process (which also holds the set-up's data) the same loop cost
// about 115 µs per POST in some bench invocations and about 155 µs in others; alone, 112–121 µs.
// Argument: JSON { sinkUrl, secret, accountId, idPrefix, n, tag, concurrency }. Prints JSON { ms, cpuUs, failed }.
import type { ConsumerRow } from '../db/consumers.js';
import { pushPayload } from '../activities/push/payload.js';
import { DEFAULT_RETRY } from '../activities/push/types.js';
import { webhookProvider } from '../activities/push/webhook.js';

export interface BaselineArgs {
  sinkUrl: string;
  secret: string;
  accountId: string;
  idPrefix: string;
  n: number;
  tag: string;
  concurrency: number;
}

const a = JSON.parse(process.argv[2] ?? '') as BaselineArgs;
const provider = webhookProvider({ url: a.sinkUrl, signingSecret: a.secret, retry: DEFAULT_RETRY });
const expiresAt = Date.now() + 3_600_000;
let next = 0;
let failed = 0;
const worker = async () => {
  while (next < a.n) {
    const consumerId = `${a.idPrefix}${next++}`;
    const consumer = { pushToken: `tok-${consumerId}`, platform: 'ios' } as ConsumerRow;
    const payload = pushPayload(
      { messageId: `${a.tag}-${consumerId}`, accountId: a.accountId, consumerId, text: 'Hi 👋 tap to chat', skill: 'billing', expiresAt, origin: { source: 'proactive', campaignId: a.tag } },
      consumer,
    );
    if (!(await provider.send(payload)).ok) failed++;
  }
};
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(Array.from({ length: a.concurrency }, worker));
const ms = performance.now() - t0;
const used = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ ms, cpuUs: used.user + used.system, failed }));
process.exit(0); // keep-alive sockets would hold the process open
