// The real stack as `npm start` runs it (scripts/start.ts: Temporal dev server, worker and API as
// separate processes) on a throw-away data directory and free ports, plus what the bench needs
// beside it: the database file (set-up writes) and a Temporal client (history lengths).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { openDb, type Db } from '../db/client.js';
import { descendants, exited, memoryOf, resetPeak, spawnTracked, type ProcInfo } from './processes.js';
import { waitFor } from './stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type Part = 'worker' | 'api' | 'temporal';

export interface BenchStack {
  baseUrl: string;
  rootKey: string;
  dataDir: string;
  logFile: string;
  db: Db;
  temporal: Client;
  pids: Record<Part, number>;
  /** Starts a new peak-RSS window for worker and API. */
  resetPeaks(): void;
  /** Peak RSS (MiB) of each part since start or the last reset. */
  peaks(): Record<Part, number>;
  /** Parts whose process changed since start (the supervisor restarted them). */
  restarted(): Part[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

const PART_MATCH: Record<Part, (p: ProcInfo) => boolean> = {
  worker: (p) => p.args.includes('worker/main.ts'),
  api: (p) => p.args.includes('api/main.ts'),
  temporal: (p) => p.args.includes('start-dev'),
};

function partPids(supervisor: number): Partial<Record<Part, number>> {
  const tree = descendants(supervisor);
  const out: Partial<Record<Part, number>> = {};
  for (const part of Object.keys(PART_MATCH) as Part[]) {
    const p = tree.find(PART_MATCH[part]);
    if (p) out[part] = p.pid;
  }
  return out;
}

export async function startBenchStack(env: Record<string, string> = {}): Promise<BenchStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-bench-'));
  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const rootKey = `c2m_root.bench-${process.pid}-${Date.now()}`;
  const logFile = path.join(dataDir, 'stack.log');
  const log = fs.openSync(logFile, 'a');
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    C2M_DATA_DIR: dataDir,
    C2M_TEMPORAL_PORT: String(temporalPort),
    C2M_TEMPORAL_UI_PORT: String(uiPort),
    C2M_ROOT_KEY: rootKey,
    C2M_LOG_LEVEL: 'warn',
    ...env,
  };
  delete childEnv.TEMPORAL_ADDRESS; // the embedded dev server, as on a fresh `npm start`
  const supervisor = spawnTracked(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/start.ts')], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const baseUrl = `http://127.0.0.1:${port}`;

  let temporal: Client | undefined;
  let db: Db | undefined;
  const stop = async () => {
    await temporal?.connection.close().catch(() => undefined);
    db?.$client.close();
    supervisor.kill('SIGTERM');
    if (!(await exited(supervisor, 30_000))) supervisor.kill('SIGKILL');
  };
  try {
    await waitFor(
      'the stack to answer /healthz 200',
      async () => {
        if (supervisor.exitCode !== null) throw new Error(`npm start exited with ${supervisor.exitCode}; see ${logFile}`);
        return (await fetch(`${baseUrl}/healthz`).catch(() => undefined))?.status === 200;
      },
      120_000,
      250,
    );
    const found = partPids(supervisor.pid!);
    if (!found.worker || !found.api || !found.temporal) throw new Error(`stack processes not found: ${JSON.stringify(found)}`);
    const pids = found as Record<Part, number>;
    db = openDb(path.join(dataDir, 'c2m.sqlite'));
    temporal = new Client({ connection: await Connection.connect({ address: `127.0.0.1:${temporalPort}` }), namespace: 'default' });
    const parts = Object.keys(pids) as Part[];
    return {
      baseUrl,
      rootKey,
      dataDir,
      logFile,
      db,
      temporal,
      pids,
      resetPeaks: () => parts.forEach((p) => resetPeak(pids[p])),
      peaks: () => Object.fromEntries(parts.map((p) => [p, memoryOf(pids[p])?.peakMiB ?? NaN])) as Record<Part, number>,
      restarted: () => {
        const now = partPids(supervisor.pid!);
        return parts.filter((p) => now[p] !== pids[p]);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
