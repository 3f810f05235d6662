import { http } from '../test/harness.js';
import type { BenchSink } from './sink.js';
import type { BenchStack } from './stack.js';

/** What every benchmark gets. `scale` is 1 for the full bench and 0.1 for --quick. */
export interface BenchContext {
  stack: BenchStack;
  sink: BenchSink;
  scale: number;
  runs: number;
  log(message: string): void;
}

export const scaled = (ctx: BenchContext, n: number, min = 1) => Math.max(min, Math.round(n * ctx.scale));

/** A request the bench needs to succeed (set-up, reads): anything but `status` is a bench failure. */
export async function must(ctx: BenchContext, status: number, method: string, urlPath: string, key: string, body?: unknown) {
  const r = await http(ctx.stack, method, urlPath, { key, body });
  if (r.status !== status) throw new Error(`${method} ${urlPath}: expected ${status}, got ${r.status} ${r.text.slice(0, 300)}`);
  return r.body;
}

/** POST with a pre-serialised body, timed from the first byte sent to the whole answer read. */
export async function timedPost(ctx: BenchContext, urlPath: string, key: string, body: string) {
  const t0 = performance.now();
  const res = await fetch(`${ctx.stack.baseUrl}${urlPath}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  return { status: res.status, ms, body: JSON.parse(text), startedAt: performance.timeOrigin + t0 };
}

/** Events in the longest run of a workflow (every run after continue-as-new included). */
export async function longestHistory(ctx: BenchContext, workflowId: string): Promise<{ runs: number; events: number }> {
  const client = ctx.stack.temporal;
  const runIds = new Set<string>();
  for await (const w of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runIds.add(w.runId);
  // Visibility can lag; the latest run is always reachable without a run ID.
  if (runIds.size === 0) runIds.add('');
  let events = 0;
  for (const runId of runIds) {
    const history = await client.workflow.getHandle(workflowId, runId || undefined).fetchHistory();
    events = Math.max(events, history.events?.length ?? 0);
  }
  return { runs: runIds.size, events };
}
