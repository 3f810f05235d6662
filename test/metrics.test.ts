// What an operator's Prometheus scrapes: the API's /metrics (no key), the worker's own listener
// and the Temporal SDK's exporter, after a small campaign and a burst that hits the rate limit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { campaignBody, getCampaign, registerMany } from './fixtures.js';
import { eventually, freePort, http, newAccount, startStack, type Stack } from './harness.js';
import { startSink, type Sink } from './sink.js';
import { killed, spawnWorker } from './worker-process.js';
import type { ChildProcess } from 'node:child_process';

/** The value of one series in Prometheus text format, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[4]);
  }
  return undefined;
}

const scrape = async (url: string) => {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  return res.text();
};

let stack: Stack;
let sink: Sink;
let worker: ChildProcess;
let workerPort: number;
let sdkPort: number;
before(async () => {
  sink = await startSink();
  stack = await startStack({ worker: false, env: { C2M_RATE_LIMIT_RPS: '2' } });
  [workerPort, sdkPort] = [await freePort(), await freePort()];
  worker = spawnWorker(stack, { C2M_WORKER_METRICS_PORT: String(workerPort), C2M_TEMPORAL_METRICS_PORT: String(sdkPort) });
});
after(async () => {
  worker?.kill('SIGTERM');
  if (worker) await killed(worker);
  await stack?.stop();
  await sink?.close();
});

describe('GET /metrics', () => {
  it('shows messages by source, status and error code, campaigns by status, 429s, request durations and push latency', async () => {
    const { accountId, keys } = await newAccount(stack, ['admin', 'campaign_manager']);
    await http(stack, 'PUT', `/v1/accounts/${accountId}/push-config`, { key: keys.admin, body: { provider: 'webhook', url: sink.url } });
    const registered = Array.from({ length: 20 }, (_, i) => `metrics-${i}`);
    registerMany(stack.db, accountId, registered);
    const r = await http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, {
      key: keys.campaign_manager,
      body: campaignBody([...registered, 'nobody-1', 'nobody-2']),
    });
    assert.equal(r.status, 202, r.text);
    await eventually(async () => (await getCampaign(stack, accountId, keys.campaign_manager, r.body.campaignId)).status === 'active', 60_000, 100);

    const handoff = await http(stack, 'POST', `/v1/accounts/${accountId}/handoffs`, {
      key: keys.admin,
      body: { name: 'Billing', channels: ['app'], skill: 'billing', message: { text: 'Tap to chat' }, lookbackSeconds: 3600, pushPolicy: { loggedIn: true, loggedOut: true } },
    });
    assert.equal(handoff.status, 201, handoff.text);
    const d = await http(stack, 'POST', `/v1/accounts/${accountId}/ivr/deflections`, { key: keys.admin, body: { handoffId: handoff.body.handoffId, consumerId: 'metrics-0' } });
    assert.equal(d.status, 202, d.text);
    await eventually(async () => (await http(stack, 'GET', `/v1/accounts/${accountId}/ivr/deflections/${d.body.deflectionId}`, { key: keys.admin })).body.status === 'sent', 30_000, 100);

    // A burst over the budget of 2 per second: bodies are invalid, so the admitted ones create nothing.
    await new Promise((done) => setTimeout(done, 1100));
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, { key: keys.campaign_manager, body: {} })),
    );
    const refused = burst.filter((b) => b.status === 429).length;
    assert.ok(refused >= 4, `429s in the burst: ${burst.map((b) => b.status)}`);

    const api = await scrape(`${stack.baseUrl}/metrics`); // no key: operators scrape it
    assert.equal(sample(api, 'c2m_messages', { source: 'proactive', status: 'sent', error_code: '' }), 20);
    assert.equal(sample(api, 'c2m_messages', { source: 'proactive', status: 'failed', error_code: 'CONSUMER_NOT_REGISTERED' }), 2);
    assert.equal(sample(api, 'c2m_messages', { source: 'ivr', status: 'sent', error_code: '' }), 1);
    assert.equal(sample(api, 'c2m_campaigns', { status: 'active' }), 1);
    assert.equal(sample(api, 'c2m_rate_limited_total', { route: '/v1/accounts/{accountId}/campaigns' }), refused);
    const route = '/v1/accounts/{accountId}/campaigns';
    assert.equal(sample(api, 'c2m_http_request_duration_seconds_count', { method: 'POST', route, status: '202' }), 1);
    assert.equal(sample(api, 'c2m_http_request_duration_seconds_count', { method: 'POST', route, status: '429' }), refused);
    const sum = sample(api, 'c2m_http_request_duration_seconds_sum', { method: 'POST', route, status: '202' })!;
    assert.ok(sum > 0 && sum < 30, `plausible duration ${sum}`);
    assert.ok((sample(api, 'c2m_http_request_duration_seconds_count', { method: 'GET', route: '/v1/accounts/{accountId}/campaigns/{campaignId}', status: '200' }) ?? 0) >= 1);
    assert.ok((sample(api, 'process_resident_memory_bytes') ?? 0) > 0);

    const own = await scrape(`http://127.0.0.1:${workerPort}/metrics`);
    const labels = { provider: 'webhook', source: 'proactive', outcome: 'ok' };
    assert.equal(sample(own, 'c2m_push_duration_seconds_count', labels), 20);
    assert.equal(sample(own, 'c2m_push_duration_seconds_bucket', { ...labels, le: '+Inf' }), 20);
    const pushSum = sample(own, 'c2m_push_duration_seconds_sum', labels)!;
    assert.ok(pushSum > 0 && pushSum < 20, `20 local pushes took ${pushSum} s in all`);
    assert.equal(sample(own, 'c2m_push_duration_seconds_count', { ...labels, source: 'ivr' }), 1);
    assert.ok((sample(own, 'c2m_dispatch_pages_total') ?? 0) >= 1);

    const sdk = await scrape(`http://127.0.0.1:${sdkPort}/metrics`);
    assert.ok((sample(sdk, 'temporal_activity_execution_latency_count', { activity_type: 'dispatchPage' }) ?? 0) >= 1, sdk.slice(0, 2000));
  });
});
