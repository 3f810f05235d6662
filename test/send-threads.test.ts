// Webhook calls on send threads behave as the same calls made inline: every POST arrives once,
// signed, with its Idempotency-Key; answers map to the same results; aborts and a closed pool
// reject the calls still waiting.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pushPayload } from '../activities/push/payload.js';
import { createSendThreads, type SendThreads } from '../activities/push/threads.js';
import type { PushConfig } from '../db/push-config.js';
import type { ConsumerRow } from '../db/consumers.js';
import { SINK_SECRET } from './fixtures.js';
import { startSink, type Sink } from './sink.js';

const EXPIRES = Date.parse('2026-12-01T00:00:00Z');
const FAST = { attempts: 2, initialDelayMs: 10, maxDelayMs: 20 };
const payload = (consumerId: string) =>
  pushPayload(
    { messageId: `m-${consumerId}`, accountId: 'acct', consumerId, text: 'Hi', skill: 'billing', expiresAt: EXPIRES, origin: { source: 'proactive', campaignId: 'c1' } },
    { pushToken: `tok-${consumerId}`, platform: 'ios' } as ConsumerRow,
  );

let sink: Sink;
let threads: SendThreads;
let config: PushConfig;
before(async () => {
  sink = await startSink({
    secret: SINK_SECRET,
    script: (consumerId) => (consumerId.startsWith('gone') ? 410 : consumerId.startsWith('slow') ? { status: 200, delayMs: 3000 } : 200),
  });
  config = { provider: 'webhook', url: sink.url, signingSecret: SINK_SECRET, headers: { 'X-Brand': 'acme' } };
  threads = createSendThreads(2);
});
after(async () => {
  await threads?.close();
  await sink?.close();
});

describe('send threads', () => {
  it('deliver 2,000 concurrent POSTs exactly once each, signed and keyed', async () => {
    sink.reset();
    const provider = threads.providerFor(config, FAST);
    const ids = Array.from({ length: 2000 }, (_, i) => `c${i}`);
    const results = await Promise.all(ids.map((id) => provider.send(payload(id))));
    assert.ok(results.every((r) => r.ok));
    assert.equal(sink.requests.length, ids.length);
    assert.deepEqual(new Set(sink.requests.map((r) => r.idempotencyKey)), new Set(ids.map((id) => `m-${id}`)));
    assert.ok(sink.requests.every((r) => r.signatureValid && r.headers['x-brand'] === 'acme'));
    assert.deepEqual(sink.requests.find((r) => r.body.consumerId === 'c7')?.body, payload('c7'));
  });

  it('send each call with its own provider config, even when calls of two configs share a batch', async () => {
    sink.reset();
    const other = threads.providerFor({ ...config, headers: { 'X-Brand': 'globex' } } as PushConfig, FAST);
    const acme = threads.providerFor(config, FAST);
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? other : acme).send(payload(`mix${i}`))));
    for (const r of sink.requests) assert.equal(r.headers['x-brand'], Number(r.body.consumerId.slice(3)) % 2 ? 'globex' : 'acme');
    assert.equal(sink.requests.length, 100);
  });

  it('map a refusal and an unreachable proxy to the same errors as inline calls', async () => {
    assert.deepEqual(await threads.providerFor(config, FAST).send(payload('gone-1')), { ok: false, errorCode: 'PUSH_REJECTED', detail: 'HTTP 410' });
    const closed = threads.providerFor({ provider: 'webhook', url: 'http://127.0.0.1:1/push' }, FAST);
    const res = await closed.send(payload('c1'));
    assert.equal(res.ok, false);
    assert.equal(!res.ok && res.errorCode, 'PUSH_PROVIDER_ERROR');
  });

  it('keep the inbox inline: no call at all', async () => {
    sink.reset();
    assert.deepEqual(await threads.providerFor({ provider: 'inbox' }).send(payload('c1')), { ok: true });
    assert.equal(sink.requests.length, 0);
  });

  it('reject a call whose signal aborts, and one made with a signal already aborted', async () => {
    const provider = threads.providerFor(config, FAST);
    const abort = new AbortController();
    const pending = provider.send(payload('slow-1'), abort.signal);
    setTimeout(() => abort.abort(new Error('stop')), 50);
    await assert.rejects(pending, /stop/);
    await assert.rejects(provider.send(payload('c2'), AbortSignal.abort(new Error('already'))), /already/);
    // Aborted before its batch left for the thread: never POSTed.
    sink.reset();
    const early = new AbortController();
    const never = provider.send(payload('never-1'), early.signal);
    early.abort(new Error('at once'));
    await assert.rejects(never, /at once/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sink.requests.filter((r) => r.body.consumerId === 'never-1').length, 0);
  });

  it('reject the calls in flight when closed, and start again on the next call', async () => {
    const own = createSendThreads(1);
    const provider = own.providerFor(config, FAST);
    const rejected = assert.rejects(provider.send(payload('slow-2')), /closed/);
    await new Promise((r) => setTimeout(r, 100));
    await own.close();
    await rejected;
    assert.deepEqual(await provider.send(payload('c3')), { ok: true });
    await own.close();
  });
});
