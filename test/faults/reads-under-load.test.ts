// While a 100,000-recipient campaign dispatches, the read endpoints keep answering. Latencies are
// reported (p50/p99/max), not asserted: timings on a shared 2-core machine would make a flaky test.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { campaignBody, getCampaign, registerMany } from '../fixtures.js';
import { eventually, http, newAccount, startStack, type Stack } from '../harness.js';
import { percentile } from '../../bench/stats.js';
import { killed, spawnWorker } from '../worker-process.js';

// The worker in its own process, as deployed: an in-process worker would share the API's event loop.
let stack: Stack;
let worker: ChildProcess;
before(async () => {
  stack = await startStack({ worker: false });
  worker = spawnWorker(stack);
});
after(async () => {
  worker?.kill('SIGTERM');
  if (worker) await killed(worker);
  await stack?.stop();
});


describe('reads during a 100,000-recipient dispatch', () => {
  it('GET campaign, campaign list, recipients (when the API has them), healthz and /metrics all answer 2xx', async () => {
    const N = 100_000;
    const { accountId, keys } = await newAccount(stack, ['campaign_manager']);
    const ids = Array.from({ length: N }, (_, i) => `load-${i}`);
    registerMany(stack.db, accountId, ids);
    await eventually(async () => (await http(stack, 'GET', '/healthz')).status === 200, 120_000, 250); // the worker is polling
    const r = await http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, { key: keys.campaign_manager, body: campaignBody(ids) });
    assert.equal(r.status, 202, r.text.slice(0, 300));
    const { campaignId } = r.body;

    const doc = (await http(stack, 'GET', '/openapi.json')).body;
    const recipientsPath = Object.keys(doc.paths).find((p) => /\/campaigns\/\{campaignId\}\/recipients$/.test(p) && doc.paths[p].get);
    const reads: Record<string, string> = {
      campaign: `/v1/accounts/${accountId}/campaigns/${campaignId}`,
      list: `/v1/accounts/${accountId}/campaigns?limit=20`,
      healthz: '/healthz',
      metrics: '/metrics',
      ...(recipientsPath ? { recipients: `${recipientsPath.replace('{accountId}', accountId).replace('{campaignId}', campaignId)}?limit=100` } : {}),
    };

    const samples = new Map<string, number[]>(Object.keys(reads).map((k) => [k, []]));
    const bad: string[] = [];
    let dispatching = true;
    const sampler = async (name: string, path: string) => {
      while (dispatching) {
        const t = performance.now();
        const res = await http(stack, 'GET', path, { key: keys.campaign_manager });
        samples.get(name)!.push(performance.now() - t);
        if (res.status < 200 || res.status > 299) bad.push(`${name}: ${res.status} ${res.text.slice(0, 200)}`);
        await new Promise((done) => setTimeout(done, 20));
      }
    };
    const t0 = Date.now();
    const sampling = Promise.all(Object.entries(reads).map(([name, path]) => sampler(name, path)));
    let status = '';
    let sawDispatching = false;
    while (Date.now() - t0 < 600_000) {
      status = (await getCampaign(stack, accountId, keys.campaign_manager, campaignId)).status;
      sawDispatching ||= status === 'dispatching';
      if (status !== 'scheduled' && status !== 'dispatching') break;
      await new Promise((done) => setTimeout(done, 250));
    }
    dispatching = false;
    await sampling;
    const dispatchMs = Date.now() - t0;
    assert.equal(status, 'active');
    assert.ok(sawDispatching);

    const report = [...samples].map(([name, xs]) => {
      return `${name} n=${xs.length} p50=${percentile(xs, 50).toFixed(1)}ms p99=${percentile(xs, 99).toFixed(1)}ms max=${Math.max(...xs).toFixed(1)}ms`;
    });
    console.log(`reads-under-load: 100k dispatched in ${(dispatchMs / 1000).toFixed(1)} s (inbox); ${report.join('; ')}`);
    assert.deepEqual(bad, [], 'every read answered 2xx');
    for (const [name, xs] of samples) assert.ok(xs.length >= 5, `${name} sampled ${xs.length} times`);
  });
});
