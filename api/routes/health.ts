import { pingDb } from '../../db/client.js';
import { workerIsPolling } from '../../worker/temporal.js';
import type { AppDeps } from '../context.js';
import { defineRoute } from '../route.js';
import { Health } from '../schemas/accounts.js';

type HealthBody = { status: 'ok' | 'unavailable'; temporal: 'up' | 'down'; db: 'up' | 'down'; worker: 'up' | 'down' };

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

// Load balancers poll this; one real check per second per process is plenty.
const cache = new WeakMap<AppDeps, { at: number; body: HealthBody }>();

async function check(deps: AppDeps): Promise<HealthBody> {
  const hit = cache.get(deps);
  if (hit && Date.now() - hit.at < 1000) return hit.body;
  const db = pingDb(deps.db) ? 'up' : 'down';
  let temporal: 'up' | 'down' = 'down';
  let worker: 'up' | 'down' = 'down';
  try {
    await withTimeout(deps.temporal.workflowService.getSystemInfo({}), 2000);
    temporal = 'up';
    worker = (await withTimeout(workerIsPolling(deps.temporal, deps.config.temporal.taskQueue), 2000)) ? 'up' : 'down';
  } catch {
    // stays down
  }
  const status = db === 'up' && temporal === 'up' && worker === 'up' ? 'ok' : 'unavailable';
  const body: HealthBody = { status, temporal, db, worker };
  cache.set(deps, { at: Date.now(), body });
  return body;
}

export const healthRoutes = [
  defineRoute({
    method: 'get',
    path: '/healthz',
    summary: 'Ready when the API, the database, Temporal and a worker all answer',
    tag: 'Operations',
    access: 'public',
    responses: { 200: { description: 'Ready', schema: Health }, 503: { description: 'Not ready yet', schema: Health } },
    handler: async ({ deps }) => {
      const body = await check(deps);
      return { status: body.status === 'ok' ? 200 : 503, body };
    },
  }),
];
