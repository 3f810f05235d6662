import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { exited, spawnTracked } from './processes.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface SinkStats {
  count: number;
  distinct: number;
  duplicates: number;
  firstAt: number;
  lastAt: number;
}

export interface BenchSink {
  url: string;
  pid: number;
  stats(): Promise<SinkStats>;
  reset(): Promise<void>;
  /** First arrival time of a push for each consumer (null: none yet). */
  arrivals(consumerIds: string[]): Promise<Record<string, number | null>>;
  stop(): Promise<void>;
}

/** bench/sink-server.ts as its own process. */
export async function startSink(): Promise<BenchSink> {
  const child = spawnTracked(process.execPath, ['--import', 'tsx', path.join(here, 'sink-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sink exited (${code}) before listening`)));
  });
  const base = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  const call = async <T>(p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${p}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    return (await res.json()) as T;
  };
  return {
    url: `${base}/push`,
    pid: child.pid!,
    stats: () => call<SinkStats>('/_stats'),
    reset: () => call<void>('/_reset', {}),
    arrivals: (consumerIds) => call('/_arrivals', { consumerIds }),
    async stop() {
      child.kill('SIGTERM');
      if (!(await exited(child, 5000))) child.kill('SIGKILL');
    },
  };
}
