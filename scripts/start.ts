// `npm start`: the whole stack on embedded defaults — Temporal dev server (unless TEMPORAL_ADDRESS
// is set), worker and API — supervised, restarted if one dies, and stopped together on SIGINT/SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { openDb } from '../db/client.js';
import { loadConfig, temporalAddress } from '../worker/config.js';
import { createLogger } from '../worker/logger.js';
import { spawnDevServer, temporalBinary } from './temporal.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = loadConfig();
const logger = createLogger('supervisor', config.logLevel);

interface Part {
  name: string;
  start: () => ChildProcess;
  child?: ChildProcess;
  restarts: number[];
}

let stopping = false;

function supervise(part: Part): void {
  const child = part.start();
  part.child = child;
  child.on('exit', (code, signal) => {
    if (stopping) return;
    const now = Date.now();
    part.restarts = part.restarts.filter((t) => now - t < 60_000);
    if (part.restarts.length >= 5) {
      logger.fatal({ part: part.name, code, signal }, 'crashed 5 times in a minute; stopping the stack');
      void stop(1);
      return;
    }
    part.restarts.push(now);
    logger.error({ part: part.name, code, signal }, 'exited; restarting');
    setTimeout(() => !stopping && supervise(part), 1000);
  });
}

const node = (script: string) => () =>
  spawn(process.execPath, ['--import', 'tsx', path.join(root, script)], { stdio: 'inherit', cwd: root, env: process.env });

async function waitForTemporal(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal at ${address} did not answer within ${timeoutMs / 1000}s: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const parts: Part[] = [];

function exited(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** API and worker first (they drain), the dev server last; SIGKILL whatever outlives 20 s. */
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping');
  const ordered = [...parts].reverse();
  for (const group of [ordered.filter((p) => p.name !== 'temporal'), ordered.filter((p) => p.name === 'temporal')]) {
    for (const p of group) p.child?.kill('SIGTERM');
    const killer = setTimeout(() => group.forEach((p) => p.child?.kill('SIGKILL')), 20_000);
    await Promise.all(group.map((p) => exited(p.child)));
    clearTimeout(killer);
  }
  logger.info('stopped');
  process.exit(code);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
// If whatever started us dies without passing its signal on (npm on SIGTERM, a kill -9), we are
// re-parented: take the whole stack down rather than leave it running unowned.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && void stop(0), 500).unref();

async function main(): Promise<void> {
  openDb(config.dbFile).$client.close(); // migrate once, before two processes race to
  if (!config.temporal.address) {
    const cli = await temporalBinary('cli');
    parts.push({
      name: 'temporal',
      restarts: [],
      start: () =>
        spawnDevServer({
          cli,
          port: config.temporal.devPort,
          uiPort: config.temporal.uiPort,
          namespace: config.temporal.namespace,
          dbFile: path.join(config.dataDir, 'temporal.sqlite'),
        }),
    });
    supervise(parts[0]!);
  }
  await waitForTemporal(temporalAddress(config), 60_000);
  if (stopping) return;
  for (const [name, script] of [
    ['worker', 'worker/main.ts'],
    ['api', 'api/main.ts'],
  ] as const) {
    const part: Part = { name, start: node(script), restarts: [] };
    parts.push(part);
    supervise(part);
  }
  logger.info(
    {
      api: `http://localhost:${config.port}`,
      docs: `http://localhost:${config.port}/docs`,
      temporalUi: config.temporal.address ? undefined : config.temporal.uiUrl,
      rootKeyFile: config.rootKey ? undefined : path.join(config.dataDir, 'root-key'),
    },
    'c2m started',
  );
}

main().catch((err) => {
  logger.fatal({ err: String(err) }, 'start failed');
  void stop(1);
});
