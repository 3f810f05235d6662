import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { createConsumerTokenVerifier } from './consumer-jwt.js';
import { consoleRouter } from './console.js';
import type { AppDeps } from './context.js';
import { isEngineUnavailable } from './engine.js';
import { ApiError } from './errors.js';
import { createApiMetrics } from './metrics.js';
import { createRegistry, docsRouter, openApiDocument } from './openapi.js';
import { mountRoutes } from './route.js';
import { allRoutes } from './routes/index.js';

const JSON_TYPES = ['application/json', 'application/*+json'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One JSON line per request, with an ID the caller may pass (X-Request-Id) or gets back. */
function requestLog(deps: AppDeps): RequestHandler {
  return (req, res, next) => {
    const given = req.header('x-request-id');
    const id = given && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const principal = res.locals.principal as { kind: string; accountId?: string } | undefined;
      deps.logger.info(
        {
          requestId: id,
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          principal: principal?.kind,
          accountId: principal?.accountId,
        },
        'request',
      );
    });
    next();
  };
}

/** A body in anything but JSON is refused before parsing (415), whatever the route. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.header('content-length') ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
  if (BODY_METHODS.has(req.method) && hasBody && !req.is(JSON_TYPES)) {
    next(new ApiError('UNSUPPORTED_MEDIA_TYPE', 'request bodies must be application/json'));
    return;
  }
  next();
};

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { type?: string; status?: number; message?: string };
  switch (e?.type) {
    case 'entity.too.large':
      return new ApiError('PAYLOAD_TOO_LARGE', 'request body is above the size limit');
    case 'entity.parse.failed':
      return new ApiError('INVALID_REQUEST', `malformed JSON: ${e.message ?? 'parse error'}`, [{ path: '(body)', message: 'malformed JSON' }]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', e.message ?? 'unsupported encoding');
  }
  if (isEngineUnavailable(err)) return new ApiError('ENGINE_UNAVAILABLE', 'the workflow engine cannot be reached; nothing was accepted');
  return new ApiError('INTERNAL', 'internal error');
}

function errorHandler(deps: AppDeps): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) deps.logger.error({ err, requestId: res.locals.requestId }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [k, v] of Object.entries(apiError.headers)) res.setHeader(k, v);
    res.status(apiError.status).type('application/problem+json').send(JSON.stringify(apiError.toProblem()));
  };
}

export function createApp(given: AppDeps) {
  // Consumer tokens are checked against each account's IDP config unless a test supplies its own check.
  const deps: AppDeps = { ...given, verifyConsumerToken: given.verifyConsumerToken ?? createConsumerTokenVerifier(given.db) };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const metrics = createApiMetrics(deps.db);
  app.use(metrics.timeRequests);
  app.use(requestLog(deps));
  app.use(requireJsonBody);
  app.use(express.json({ limit: deps.config.bodyLimitBytes, type: JSON_TYPES }));

  const registry = createRegistry();
  const router = express.Router();
  mountRoutes(router, registry, deps, allRoutes(deps.config), metrics);
  app.use(router);

  // Unauthenticated, as Prometheus scrapes it: it holds counts, never IDs or content. Keep the API
  // port off the public internet or filter /metrics at the proxy (docs/operations.md).
  app.get('/metrics', metrics.serve);

  const document = openApiDocument(registry);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(docsRouter());
  app.use(consoleRouter(deps.config));

  app.use((req, _res, next) => next(new ApiError('NOT_FOUND', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps));
  return app;
}
