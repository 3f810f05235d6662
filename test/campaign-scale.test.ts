// 100,000 recipients in one request: accepted, fully dispatched, no workflow run near the history limit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertBalanced, campaignBody, getCampaign, registerMany } from './fixtures.js';
import { eventually, http, newAccount, startStack, type Stack } from './harness.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.stop());

describe('a 100,000-recipient campaign', () => {
  it('is accepted with 202 and fully dispatched, every workflow run under 4,096 history events', async () => {
    const N = 100_000;
    const { accountId, keys } = await newAccount(stack, ['campaign_manager']);
    const ids = Array.from({ length: N }, (_, i) => `scale-consumer-${i}`);
    registerMany(stack.db, accountId, ids);

    const t0 = Date.now();
    const r = await http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, { key: keys.campaign_manager, body: campaignBody(ids) });
    const acceptMs = Date.now() - t0;
    assert.equal(r.status, 202, r.text.slice(0, 300));
    assert.equal(r.body.acceptedConsumers, N);

    const c = await eventually(async () => {
      const got = await getCampaign(stack, accountId, keys.campaign_manager, r.body.campaignId);
      return got.status === 'active' && got;
    }, 600_000, 1000);
    const dispatchMs = Date.parse(c.dispatchedAt) - Date.parse(c.startedAt);
    assert.equal(c.counts.total, N);
    assert.equal(c.counts.sent, N);
    assert.ok(assertBalanced(c.counts));

    const runs = [];
    for await (const w of stack.app.temporal.workflow.list({ query: `WorkflowId = "${c.workflowId}"` })) runs.push(w.runId);
    let longest = 0;
    for (const runId of runs) {
      const history = await stack.app.temporal.workflow.getHandle(c.workflowId, runId).fetchHistory();
      longest = Math.max(longest, history.events?.length ?? 0);
    }
    console.log(`100k: 202 in ${acceptMs} ms; dispatched in ${dispatchMs} ms (inbox provider); ${runs.length} run(s), longest history ${longest} events`);
    assert.ok(longest > 0 && longest < 4096, `longest history ${longest}`);
  });
});
