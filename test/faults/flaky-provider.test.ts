// A push proxy that answers 500 to one try in five and stalls one in twenty past c2m's time-out:
// every message ends sent or PUSH_PROVIDER_ERROR, none is acknowledged twice, the books balance.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSendThreads, type SendThreads } from '../../activities/push/threads.js';
import { brandWithSink, campaignBody, getCampaign, registerMany } from '../fixtures.js';
import { eventually, http, startStack, type Stack } from '../harness.js';
import { startSink, type Sink } from '../sink.js';
import { assertExactlyOnce } from './books.js';

// Long enough that an ordinary answer never misses it on a busy 2-core machine (sink, API and worker
// share one event loop here), so a 2xx the sink sees as acknowledged really was seen by c2m.
const TIMEOUT_MS = 1000;
let stack: Stack;
let sink: Sink;
let threads: SendThreads;
before(async () => {
  sink = await startSink({
    script: () => {
      const roll = Math.random();
      if (roll < 0.2) return 500;
      if (roll < 0.25) return { status: 200, delayMs: TIMEOUT_MS + 600 };
      return 200;
    },
  });
  // Two tries per message, quickly: with one try in four failing, about 6% of messages run out of tries.
  // On send threads, as the worker sends in production.
  threads = createSendThreads(2);
  stack = await startStack({
    activityDeps: (deps) => ({ ...deps, pushProviderFor: (c) => threads.providerFor(c, { attempts: 2, initialDelayMs: 20, maxDelayMs: 100 }) }),
  });
});
after(async () => {
  await stack?.stop();
  await threads?.close();
  await sink?.close();
});

describe('a flaky, slow push proxy', () => {
  it('ends every message sent or PUSH_PROVIDER_ERROR, none duplicated, books balanced', async () => {
    const N = 3000;
    const { accountId, keys } = await brandWithSink(stack, sink.url, ['campaign_manager'], 'Faults', { timeoutMs: TIMEOUT_MS });
    const ids = Array.from({ length: N }, (_, i) => `flaky-${i}`);
    registerMany(stack.db, accountId, ids);
    const t0 = Date.now();
    const r = await http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, { key: keys.campaign_manager, body: campaignBody(ids) });
    assert.equal(r.status, 202, r.text);
    const { campaignId } = r.body;
    await eventually(async () => (await getCampaign(stack, accountId, keys.campaign_manager, campaignId)).status === 'active', 180_000, 250);

    const books = await assertExactlyOnce(stack, sink, { accountId, key: keys.campaign_manager, campaignId }, { acked: true });
    for (const m of books.rows) {
      assert.ok(m.status === 'sent' || (m.status === 'failed' && m.errorCode === 'PUSH_PROVIDER_ERROR'), `${m.id}: ${m.status} ${m.errorCode}`);
    }
    const { sent, failed } = books.counts as { sent: number; failed: number };
    assert.equal(sent + failed, N);
    assert.ok(failed > 0 && failed < N * 0.2, `failed ${failed}`);
    const late = [...sink.accepted.keys()].filter((k) => !sink.acked.has(k)).length;
    const lateButSent = [...sink.accepted.keys()].filter((k) => (sink.accepted.get(k) ?? 0) > (sink.acked.get(k) ?? 0)).length;
    console.log(
      `flaky-provider: ${N} in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${sent} sent, ${failed} PUSH_PROVIDER_ERROR; ` +
        `${sink.requests.length} POSTs; ${lateButSent} messages also got a 2xx after the time-out (${late} of them only then, so failed in the books)`,
    );
  });
});
