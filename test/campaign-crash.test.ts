// Exactly once under crashes: the worker process is killed (SIGKILL) in the middle of a campaign.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertBalanced, brandWithSink, campaignBody, getCampaign, messageRows, registerMany, useStackWithSink } from './fixtures.js';
import { eventually, http, type Stack } from './harness.js';
import type { Sink } from './sink.js';
import { killed, spawnWorker } from './worker-process.js';

let stack: Stack;
let sink: Sink;
useStackWithSink({ worker: false }, (s, k) => ((stack = s), (sink = k)));

describe('a worker crash mid-campaign', () => {
  it('ends with every eligible consumer accepted exactly once at the sink', async () => {
    const N = 5000;
    const { accountId, keys } = await brandWithSink(stack, sink.url, ['campaign_manager']);
    const ids = Array.from({ length: N }, (_, i) => `crash-${i}`);
    registerMany(stack.db, accountId, ids);

    let worker = spawnWorker(stack);
    const r = await http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, {
      key: keys.campaign_manager,
      body: campaignBody(ids, { pacing: { messagesPerSecond: 1000 } }),
    });
    assert.equal(r.status, 202, r.text);
    const { campaignId } = r.body;

    await eventually(() => sink.accepted.size >= 1500, 60_000, 20);
    worker.kill('SIGKILL');
    await killed(worker);
    const atCrash = sink.accepted.size;
    assert.ok(atCrash < N, 'killed mid-campaign');

    worker = spawnWorker(stack);
    try {
      const c = await eventually(async () => {
        const got = await getCampaign(stack, accountId, keys.campaign_manager, campaignId);
        return got.status === 'active' && got;
      }, 120_000, 250);
      assert.equal(c.counts.sent, N);
      assert.ok(assertBalanced(c.counts));
      const rows = messageRows(stack.db, campaignId);
      assert.ok(rows.every((m) => m.status === 'sent'));
      // every message delivered, each under its own key: the proxy accepted each exactly once
      assert.equal(sink.accepted.size, N);
      for (const m of rows) assert.ok(sink.accepted.has(m.id), `${m.id} never reached the sink`);
      const keysSeen = new Set(sink.requests.map((q) => q.idempotencyKey));
      assert.equal(keysSeen.size, N, 'no stray keys');
      // resends after the crash reuse the same key, and only for sends whose outcome was unrecorded
      const resent = [...sink.accepted.values()].filter((n) => n > 1).length;
      console.log(`crash at ${atCrash}/${N} accepted; ${resent} messages re-POSTed under their key after the restart`);
      assert.ok(resent <= 400, `resends bounded by the unflushed window (${resent})`);
    } finally {
      worker.kill('SIGTERM');
      await killed(worker);
    }
  });
});
