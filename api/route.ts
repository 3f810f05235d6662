import type { NextFunction, Request, Response, Router } from 'express';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { authorize, type Access, type Principal } from './auth.js';
import type { AppDeps } from './context.js';
import { ApiError, fieldErrors, issueCode } from './errors.js';
import type { ApiMetrics } from './metrics.js';
import { ProblemSchema } from './schemas/common.js';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext<B, Q> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: Record<string, string>;
  principal: Principal;
  deps: AppDeps;
}

export interface RouteDef<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: `/v1/accounts/{accountId}/…`. */
  path: string;
  summary: string;
  tag: string;
  access: Access | 'public';
  body?: B;
  query?: Q;
  /** Shares the per-account create budget (campaign creation, IVR). */
  rateLimited?: boolean;
  /** `alternates`: other media types of the same response, chosen by the Accept header (e.g. text/csv). */
  responses: Record<number, { description: string; schema?: z.ZodType; mediaType?: string; alternates?: Record<string, z.ZodType> }>;
  /** Return a reply, or write to `res` yourself (streams) and return nothing. */
  handler: (ctx: RouteContext<z.output<B>, z.output<Q>>) => Promise<Reply | void> | Reply | void;
}

/** Identity, for type inference of body and query in the handler. */
export function defineRoute<B extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown>(def: RouteDef<B, Q>): RouteDef {
  return def as unknown as RouteDef;
}

const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
const toExpressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldErrors(result.error, what === 'query' ? ['query'] : []);
    // A body whose only faults share one domain code (UNSUPPORTED_CONTENT, …) answers with it.
    const codes = new Set(result.error.issues.map(issueCode));
    const code = codes.size === 1 ? [...codes][0]! : 'INVALID_REQUEST';
    throw new ApiError(code, `the ${what} has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}`, errors);
  }
  return result.data;
}

export function sendReply(res: Response, reply: Reply): void {
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  if (reply.body === undefined) res.status(reply.status).end();
  else res.status(reply.status).json(reply.body);
}

/** Mounts each route on the router and documents it in the registry: one definition, both uses. */
export function mountRoutes(router: Router, registry: OpenAPIRegistry, deps: AppDeps, defs: RouteDef[], metrics?: Pick<ApiMetrics, 'rateLimited'>): void {
  for (const def of defs) {
    router[def.method](toExpressPath(def.path), async (req: Request, res: Response, next: NextFunction) => {
      res.locals.route = def.path;
      try {
        const params = req.params as Record<string, string>;
        const principal: Principal =
          def.access === 'public' ? { kind: 'anonymous' } : await authorize(req, deps, def.access, params);
        res.locals.principal = principal;
        if (def.rateLimited && params.accountId) {
          const verdict = deps.rateLimiter.take(params.accountId);
          if (!verdict.ok) {
            metrics?.rateLimited.inc({ route: def.path });
            throw new ApiError('RATE_LIMITED', `more than ${deps.config.rateLimitRps} requests per second for this account`, [], {
              'Retry-After': String(verdict.retryAfterSeconds),
            });
          }
        }
        const query = def.query ? parseInput(def.query, req.query, 'query') : undefined;
        const body = def.body ? parseInput(def.body, req.body ?? {}, 'body') : undefined;
        const reply = await def.handler({ req, res, body, query, params, principal, deps });
        if (reply) sendReply(res, reply);
      } catch (err) {
        next(err);
      }
    });
    registry.registerPath(openApiPath(def));
  }
}

function openApiPath(def: RouteDef) {
  const names = pathParams(def.path);
  const responses: Record<number, ResponseConfig> = {};
  for (const [status, r] of Object.entries(def.responses)) {
    const content = Object.fromEntries(
      Object.entries({ ...(r.schema ? { [r.mediaType ?? 'application/json']: r.schema } : {}), ...r.alternates }).map(([type, schema]) => [type, { schema }]),
    );
    responses[Number(status)] = Object.keys(content).length ? { description: r.description, content } : { description: r.description };
  }
  responses[400] ??= { description: 'Invalid request', content: { 'application/problem+json': { schema: ProblemSchema } } };
  if (def.access !== 'public') {
    responses[401] = { description: 'Missing or unknown credential', content: { 'application/problem+json': { schema: ProblemSchema } } };
    responses[403] = { description: 'Wrong role', content: { 'application/problem+json': { schema: ProblemSchema } } };
  }
  if (def.rateLimited) {
    responses[429] = { description: 'Rate limited; see Retry-After', content: { 'application/problem+json': { schema: ProblemSchema } } };
  }
  const roles = def.access === 'public' ? 'public' : [...(def.access.root ? ['root'] : []), ...def.access.roles, ...(def.access.consumer ? ['consumer JWT'] : [])].join(', ');
  return {
    method: def.method,
    path: def.path,
    summary: def.summary,
    description: `Who may call: ${roles}.`,
    tags: [def.tag],
    security: def.access === 'public' ? [] : [{ bearer: [] }],
    request: {
      ...(names.length ? { params: z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) } : {}),
      ...(def.query ? { query: def.query as z.ZodObject } : {}),
      ...(def.body ? { body: { content: { 'application/json': { schema: def.body } } } } : {}),
    },
    responses,
  };
}
