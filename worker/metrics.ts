import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { PushConfig } from '../db/push-config.js';
import type { PushProvider } from '../activities/push/types.js';

/** What a worker process measures itself; the message and campaign totals are the API's (from the DB). */
export function createWorkerMetrics() {
  const registry = new Registry();
  const pushDuration = new Histogram({
    name: 'c2m_push_duration_seconds',
    help: 'One push provider call, retries and backoff included, by provider, source and outcome',
    labelNames: ['provider', 'source', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const dispatchPages = new Counter({
    name: 'c2m_dispatch_pages_total',
    help: 'Campaign dispatch pages finished by this worker',
    registers: [registry],
  });
  return { registry, pushDuration, dispatchPages };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** The provider, timing every send; the outcome label is `ok` or the message's error code. */
export function instrumentProvider(provider: PushProvider, kind: PushConfig['provider'], metrics: WorkerMetrics): PushProvider {
  // A campaign times every one of its sends: look each label set up once, not per observation.
  const series = new Map<string, { observe(seconds: number): void }>();
  const observe = (source: string, outcome: string, startedAt: number) => {
    const key = `${source}\0${outcome}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = metrics.pushDuration.labels({ provider: kind, source, outcome })));
    s.observe((performance.now() - startedAt) / 1000);
  };
  return {
    messagesPerSecond: provider.messagesPerSecond,
    send(payload, signal) {
      const startedAt = performance.now();
      return provider.send(payload, signal).then(
        (res) => {
          observe(payload.source, res.ok ? 'ok' : res.errorCode, startedAt);
          return res;
        },
        (err: unknown) => {
          observe(payload.source, 'aborted', startedAt);
          throw err;
        },
      );
    },
  };
}

/** A bare /metrics listener for the worker process (it has no HTTP server of its own). */
export async function serveMetrics(metrics: WorkerMetrics, port: number): Promise<Server> {
  collectDefaultMetrics({ register: metrics.registry });
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  server.unref();
  return server;
}

export const boundPort = (server: Server) => (server.address() as AddressInfo).port;
