// The dispatch activity on its own (MockActivityEnvironment, real database and sink): an unpaced
// campaign goes through all its pages in one activity, and a retry resumes from the page its failed
// attempt last reported in a heartbeat, with that attempt's counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { defaultActivityDeps } from '../activities/index.js';
import { createDispatch, type DispatchResult } from '../activities/dispatch.js';
import { markDispatching } from '../db/campaigns.js';
import { createLogger } from '../worker/logger.js';
import { brandWithSink, campaignBody, messageRows, registerMany, useStackWithSink } from './fixtures.js';
import { http, type Stack } from './harness.js';
import type { Sink } from './sink.js';

let stack: Stack;
let sink: Sink;
// No worker: the campaigns' workflows wait; the test drives the activity itself.
useStackWithSink({ worker: false }, (s, k) => ((stack = s), (sink = k)));

async function dispatchingCampaign(tag: string, n: number) {
  const { accountId, keys } = await brandWithSink(stack, sink.url, ['campaign_manager'], tag);
  const ids = Array.from({ length: n }, (_, i) => `${tag}-${i}`);
  registerMany(stack.db, accountId, ids);
  const startAt = new Date(Date.now() + 86_400_000).toISOString();
  const r = await http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, { key: keys.campaign_manager, body: campaignBody(ids, { startAt }) });
  assert.equal(r.status, 202, r.text);
  markDispatching(stack.db, r.body.campaignId);
  return r.body.campaignId as string;
}

const dispatch = () => createDispatch(defaultActivityDeps({ db: stack.db, config: stack.config, logger: createLogger('test', 'silent') }));
const input = (campaignId: string, pageSize: number) => ({ campaignId, afterSeq: 0, pageSize, pace: { originMs: Date.now(), before: 0 } });

describe('the dispatch activity', () => {
  it('sends every page of an unpaced campaign in one run', async () => {
    const campaignId = await dispatchingCampaign('pages', 10);
    sink.reset();
    const r = await new MockActivityEnvironment().run(dispatch(), input(campaignId, 3));
    assert.deepEqual(r, { nextSeq: 10, done: true, attempted: 10, sent: 10, failed: 0, skipped: 0 });
    assert.equal(sink.requests.length, 10);
    assert.ok(messageRows(stack.db, campaignId).every((m) => m.status === 'sent'));
  });

  it('resumes a retry from the last page its failed attempt finished, with that attempt\'s counts', async () => {
    const campaignId = await dispatchingCampaign('resume', 10);
    sink.reset();
    // As a failed attempt would have reported after its first page of 4.
    const heartbeatDetails: DispatchResult = { nextSeq: 4, done: false, attempted: 4, sent: 4, failed: 0, skipped: 0 };
    const r = await new MockActivityEnvironment({ heartbeatDetails }).run(dispatch(), input(campaignId, 4));
    assert.deepEqual(r, { nextSeq: 10, done: true, attempted: 10, sent: 10, failed: 0, skipped: 0 });
    // Only the recipients after the checkpoint were sent by this attempt.
    const sentNow = new Set(sink.requests.map((q) => q.body.consumerId));
    assert.deepEqual([...sentNow].sort(), ['resume-4', 'resume-5', 'resume-6', 'resume-7', 'resume-8', 'resume-9']);
  });
});
