// The Temporal server dies mid-dispatch and comes back on the same port and SQLite file. The worker
// process and the API reconnect by themselves; the campaign finishes with the same guarantees.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { spawnDevServer, temporalBinary } from '../../scripts/temporal.js';
import { brandWithSink, campaignBody, getCampaign, registerMany } from '../fixtures.js';
import { eventually, freePort, http, startStack, type Stack } from '../harness.js';
import { startSink, type Sink } from '../sink.js';
import { killed, spawnWorker } from '../worker-process.js';
import { assertExactlyOnce } from './books.js';

let stack: Stack;
let sink: Sink;
let server: ChildProcess | undefined;
let cli: string;
let port: number;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-temporal-'));
const dbFile = path.join(dir, 'temporal.sqlite');

async function startServer(): Promise<void> {
  server = spawnDevServer({ cli, port, namespace: 'default', dbFile });
  await eventually(async () => {
    try {
      const c = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: '1s' });
      await c.workflowService.getSystemInfo({});
      await c.close();
      return true;
    } catch {
      return false;
    }
  }, 60_000, 200);
}

before(async () => {
  cli = await temporalBinary('cli');
  port = await freePort();
  await startServer();
  sink = await startSink();
  stack = await startStack({ worker: false, temporalAddress: `127.0.0.1:${port}` });
});
after(async () => {
  await stack?.stop();
  await sink?.close();
  server?.kill('SIGTERM');
  if (server) await killed(server);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the Temporal server restarted mid-campaign (persistent dev server)', () => {
  it('the campaign completes exactly once; worker and API reconnect without a restart of their own', async () => {
    const N = 6000;
    const { accountId, keys } = await brandWithSink(stack, sink.url, ['campaign_manager'], 'Faults');
    const ids = Array.from({ length: N }, (_, i) => `restart-${i}`);
    registerMany(stack.db, accountId, ids);
    const worker = spawnWorker(stack);
    try {
      const t0 = Date.now();
      const r = await http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, {
        key: keys.campaign_manager,
        body: campaignBody(ids, { pacing: { messagesPerSecond: 500 } }),
      });
      assert.equal(r.status, 202, r.text);
      const { campaignId } = r.body;

      await eventually(() => sink.accepted.size >= 1500, 60_000, 10);
      server!.kill('SIGKILL');
      await killed(server!);
      const killAt = Date.now();
      const atKill = sink.accepted.size;

      // While it is down: reads come from the database; a new campaign is refused and leaves nothing.
      const during = await getCampaign(stack, accountId, keys.campaign_manager, campaignId);
      assert.equal(during.status, 'dispatching');
      const campaignsBefore = stack.db.$client.prepare('select count(*) n from campaigns').get();
      const refused = await http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, { key: keys.campaign_manager, body: campaignBody(ids.slice(0, 3)) });
      assert.equal(refused.status, 503, refused.text);
      assert.equal(refused.body.code, 'ENGINE_UNAVAILABLE');
      assert.deepEqual(stack.db.$client.prepare('select count(*) n from campaigns').get(), campaignsBefore);
      const health = await http(stack, 'GET', '/healthz');
      assert.equal(health.status, 503);
      await new Promise((done) => setTimeout(done, 3000));

      const restartAt = Date.now();
      await startServer();
      const backAt = Date.now();
      await eventually(async () => (await getCampaign(stack, accountId, keys.campaign_manager, campaignId)).status === 'active', 240_000, 250);
      const doneAt = Date.now();
      assert.equal(worker.exitCode, null, 'the same worker process finished the campaign');
      const books = await assertExactlyOnce(stack, sink, { accountId, key: keys.campaign_manager, campaignId });
      assert.equal(books.counts.sent, N);

      // The API's client is back too: a new campaign starts and is sent.
      await eventually(async () => (await http(stack, 'GET', '/healthz')).status === 200, 120_000, 500);
      const again = await http(stack, 'POST', `/v1/accounts/${accountId}/campaigns`, { key: keys.campaign_manager, body: campaignBody(ids.slice(0, 3)) });
      assert.equal(again.status, 202, again.text);
      await eventually(async () => (await getCampaign(stack, accountId, keys.campaign_manager, again.body.campaignId)).status === 'active', 60_000, 100);
      console.log(
        `temporal-restart: server killed at ${atKill}/${N} accepted (${((killAt - t0) / 1000).toFixed(1)} s), restarted in ${((backAt - restartAt) / 1000).toFixed(1)} s; ` +
          `campaign active ${((doneAt - backAt) / 1000).toFixed(1)} s after the server was back; ${books.rePosts} re-POSTs under an already-used key`,
      );
    } finally {
      worker.kill('SIGTERM');
      await killed(worker);
    }
  });
});
