// kill -9 of the worker process at three random points of a 20,000-recipient campaign, restarted
// each time: every consumer is reached once, under one messageId, and the books balance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brandWithSink, campaignBody, getCampaign, registerMany, useStackWithSink } from '../fixtures.js';
import { eventually, http, type Stack } from '../harness.js';
import type { Sink } from '../sink.js';
import { killed, spawnWorker } from '../worker-process.js';
import { assertExactlyOnce } from './books.js';

let stack: Stack;
let sink: Sink;
useStackWithSink({ worker: false }, (s, k) => ((stack = s), (sink = k)));

describe('worker killed with SIGKILL three times mid-campaign', () => {
  it('reaches every eligible consumer exactly once and balances the books', async () => {
    const N = 20_000;
    const { accountId, keys } = await brandWithSink(stack, sink.url, ['campaign_manager'], 'Faults');
    const ids = Array.from({ length: N }, (_, i) => `kill-${i}`);
    registerMany(stack.db, accountId, ids.slice(0, N - 100)); // the last 100 were never registered
    const t0 = Date.now();
    let worker = spawnWorker(stack);
    const r = await http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, { key: keys.campaign_manager, body: campaignBody(ids) });
    assert.equal(r.status, 202, r.text);
    const { campaignId } = r.body;

    // Three kill points, random within thirds of the campaign, so each lands in a different page.
    const points = [0.05, 0.35, 0.65].map((lo) => Math.floor(N * (lo + Math.random() * 0.25)));
    const killedAt: number[] = [];
    try {
      for (const point of points) {
        await eventually(() => sink.accepted.size >= point, 180_000, 5);
        worker.kill('SIGKILL');
        await killed(worker);
        killedAt.push(sink.accepted.size);
        worker = spawnWorker(stack);
      }
      await eventually(async () => (await getCampaign(stack, accountId, keys.campaign_manager, campaignId)).status === 'active', 300_000, 250);
    } finally {
      worker.kill('SIGTERM');
      await killed(worker);
    }
    assert.ok(killedAt.every((n) => n < N - 100), `every kill landed mid-dispatch: ${killedAt}`);

    const books = await assertExactlyOnce(stack, sink, { accountId, key: keys.campaign_manager, campaignId });
    assert.equal(books.counts.total, N);
    assert.equal(books.counts.sent, N - 100);
    assert.equal(books.counts.failed, 100);
    assert.ok(books.rows.filter((m) => m.status === 'failed').every((m) => m.errorCode === 'CONSUMER_NOT_REGISTERED'));
    // Only what was in flight at a kill is POSTed again: at most a send pool (64) plus the outcomes
    // not yet flushed (under 100) per kill.
    assert.ok(books.rePosts <= 3 * (64 + 99), `${books.rePosts} re-POSTs after 3 kills`);
    console.log(
      `worker-kill: SIGKILL at ${killedAt.join(', ')} of ${N} accepted; ${books.rePosts} re-POSTs under an already-used key; ` +
        `campaign done in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  });
});
