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

const SCHEDULED = 10;
const STARTED = 11;
const COMPLETED = 12;

export interface HistoryFacts {
  runs: number;
  /** Events in the longest run. */
  events: number;
  /** Activities executed over all runs. */
  activities: number;
  /** Summed time between one activity's completion and the next one's start: the engine's own turn-around. */
  betweenActivitiesMs: number;
}

/** History facts of a workflow over all its runs (continue-as-new included). */
export async function historyFacts(ctx: BenchContext, workflowId: string): Promise<HistoryFacts> {
  const client = ctx.stack.temporal;
  const runIds = new Set<string>();
  for await (const w of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runIds.add(w.runId);
  // Visibility can lag; the latest run is always reachable without a run ID.
  if (runIds.size === 0) runIds.add('');
  const facts: HistoryFacts = { runs: runIds.size, events: 0, activities: 0, betweenActivitiesMs: 0 };
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  for (const runId of runIds) {
    const events = (await client.workflow.getHandle(workflowId, runId || undefined).fetchHistory()).events ?? [];
    facts.events = Math.max(facts.events, events.length);
    let lastCompleted: number | undefined;
    for (const e of events) {
      if (e.eventType === SCHEDULED) facts.activities++;
      if (e.eventType === STARTED && lastCompleted !== undefined) facts.betweenActivitiesMs += ms(e.eventTime) - lastCompleted;
      if (e.eventType === COMPLETED) lastCompleted = ms(e.eventTime);
    }
  }
  return facts;
}
