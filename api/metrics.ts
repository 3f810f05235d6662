import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/client.js';
import { campaignsByStatus, messagesByStatus } from '../db/metrics.js';

/** Served outside the route registry; anything else unmatched is one label value, not one per URL. */
const FIXED_ROUTES = ['/metrics', '/openapi.json', '/docs'];

/**
 * The API's Prometheus registry. Message and campaign gauges are read from the database at scrape
 * time (one GROUP BY each), so they are right whichever process wrote the rows and survive restarts;
 * counters and histograms are this process's own.
 */
export function createApiMetrics(db: Db) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'c2m_messages',
    help: 'Messages (campaign and IVR) by status and error code, from the database',
    labelNames: ['source', 'status', 'error_code'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of messagesByStatus(db)) this.set({ source: r.source, status: r.status, error_code: r.errorCode ?? '' }, r.n);
    },
  });
  new Gauge({
    name: 'c2m_campaigns',
    help: 'Campaigns by status, from the database',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of campaignsByStatus(db)) this.set({ status: r.status }, r.n);
    },
  });
  const rateLimited = new Counter({
    name: 'c2m_rate_limited_total',
    help: 'Requests refused with 429 RATE_LIMITED, by route',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'c2m_http_request_duration_seconds',
    help: 'API request duration by method, route (OpenAPI path) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  /** Times every request; the route label is the matched OpenAPI path (bounded), never the raw URL. */
  const timeRequests: RequestHandler = (req, res, next) => {
    const end = requestDuration.startTimer();
    res.on('finish', () => {
      const route = (res.locals.route as string | undefined) ?? FIXED_ROUTES.find((r) => req.path === r || req.path.startsWith(`${r}/`)) ?? 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };

  const serve: RequestHandler = async (_req, res, next) => {
    try {
      res.type(registry.contentType).send(await registry.metrics());
    } catch (err) {
      next(err);
    }
  };

  return { registry, rateLimited, timeRequests, serve };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
