// `npm start` as a user runs it: the whole stack from one command, and nothing left after SIGTERM.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { eventually, freePort } from './harness.js';

/** Every process below `pid`, from ps: the supervisor, dev server, worker and API. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid] of rows) if (ppid === parent) (found.push(child), queue.push(child));
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  it('brings /healthz to 200 within 60 s with the Temporal UI up, and SIGTERM leaves no process behind', async () => {
    const [port, temporalPort, uiPort, metricsPort, sdkMetricsPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-start-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: `${port}`, C2M_DATA_DIR: dataDir, C2M_TEMPORAL_PORT: `${temporalPort}`, C2M_TEMPORAL_UI_PORT: `${uiPort}`, C2M_WORKER_METRICS_PORT: `${metricsPort}`, C2M_TEMPORAL_METRICS_PORT: `${sdkMetricsPort}` };
    delete env.TEMPORAL_ADDRESS;
    delete env.C2M_ROOT_KEY;
    const npm = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout.on('data', (d) => (output += d));
    npm.stderr.on('data', (d) => (output += d));
    try {
      const started = Date.now();
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.status === 200, 60_000, 250);
      assert.ok(Date.now() - started < 60_000);
      const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
      assert.equal(ui.status, 200, 'Temporal UI answers');

      // the generated root key is written to the data dir and printed once
      const rootKey = fs.readFileSync(path.join(dataDir, 'root-key'), 'utf8').trim();
      assert.ok(output.includes(rootKey), 'root key printed on first start');
      const account = await fetch(`http://127.0.0.1:${port}/v1/accounts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Acme' }),
      });
      assert.equal(account.status, 201);

      const tree = descendants(npm.pid!);
      assert.ok(tree.length >= 4, `supervisor, dev server, worker and API run (${tree.length} processes)`);
      npm.kill('SIGTERM');
      await eventually(() => tree.every((pid) => !alive(pid)), 30_000, 200);
    } finally {
      for (const pid of descendants(npm.pid!)) process.kill(pid, 'SIGKILL');
      npm.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
