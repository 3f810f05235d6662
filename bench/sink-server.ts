// The bench's push proxy, in its own process so that its CPU is not the bench's: it acknowledges
// every POST at once and keeps only what the benchmarks read (arrival times, keys seen). Control
// endpoints start with `/_`. Prints `{"port":N}` on its first stdout line.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nowMs } from './stats.js';

interface State {
  count: number;
  firstAt: number;
  lastAt: number;
  duplicates: number;
  /** Idempotency-Key → first arrival. */
  keys: Map<string, number>;
  /** consumerId → first arrival. */
  consumers: Map<string, number>;
}
const fresh = (): State => ({ count: 0, firstAt: 0, lastAt: 0, duplicates: 0, keys: new Map(), consumers: new Map() });
let state = fresh();

const json = (res: import('node:http').ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = nowMs();
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'POST' && req.url === '/push') {
      const body = JSON.parse(raw) as { consumerId: string };
      const key = String(req.headers['idempotency-key']);
      state.count++;
      if (state.count === 1) state.firstAt = at;
      state.lastAt = at;
      if (state.keys.has(key)) state.duplicates++;
      else state.keys.set(key, at);
      if (!state.consumers.has(body.consumerId)) state.consumers.set(body.consumerId, at);
      return json(res, 200, {});
    }
    if (req.url === '/_stats') {
      const { count, firstAt, lastAt, duplicates, keys } = state;
      return json(res, 200, { count, distinct: keys.size, duplicates, firstAt, lastAt });
    }
    if (req.method === 'POST' && req.url === '/_reset') {
      state = fresh();
      return json(res, 200, {});
    }
    if (req.method === 'POST' && req.url === '/_arrivals') {
      const { consumerIds } = JSON.parse(raw) as { consumerIds: string[] };
      return json(res, 200, Object.fromEntries(consumerIds.map((id) => [id, state.consumers.get(id) ?? null])));
    }
    json(res, 404, {});
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));

// Orphaned (the bench was killed): go too.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.exit(0), 500).unref();
process.on('SIGTERM', () => process.exit(0));
