import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `npm run worker` as its own process against the stack's Temporal, task queue and database. */
export function spawnWorker(stack: Stack, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'worker/main.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
      C2M_DATA_DIR: stack.config.dataDir,
      C2M_LOG_LEVEL: 'warn',
      // Several workers share the machine: no fixed metrics ports unless a test asks for them.
      C2M_WORKER_METRICS_PORT: '0',
      C2M_TEMPORAL_METRICS_PORT: '0',
      ...env,
    },
  });
}

export function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}
