// Reads during a fan-out: while a campaign of N recipients dispatches over the webhook provider,
// one client per read endpoint asks again 20 ms after each answer. What a brand polling its
// campaign, or an operator's dashboard, sees while the engine is at full speed.
import { brandWithSink, campaignBody, registerMany } from '../test/fixtures.js';
import { http } from '../test/harness.js';
import { must, scaled, type BenchContext } from './context.js';
import { percentile, sleep, waitFor } from './stats.js';

export interface ReadLatency {
  name: string;
  path: string;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers other than 2xx. */
  errors: number;
}

export interface ReadsResult {
  recipients: number;
  dispatchMs: number;
  reads: ReadLatency[];
}

export async function reads(ctx: BenchContext): Promise<ReadsResult> {
  const n = scaled(ctx, 100_000);
  const brand = await brandWithSink(ctx.stack, ctx.sink.url, ['campaign_manager'], 'Reads');
  const ids = Array.from({ length: n }, (_, i) => `reads-consumer-${i}`);
  registerMany(ctx.stack.db, brand.accountId, ids);
  await ctx.sink.reset();
  const base = `/v1/accounts/${brand.accountId}`;
  const created = await must(ctx, 202, 'POST', `${base}/campaigns`, brand.keys.campaign_manager, campaignBody(ids));
  const t0 = performance.now();
  const paths: Record<string, string> = {
    'GET campaign': `${base}/campaigns/${created.campaignId}`,
    'GET campaigns (list)': `${base}/campaigns?limit=20`,
    'GET campaign report': `${base}/reports/campaigns/${created.campaignId}`,
    'GET /healthz': '/healthz',
    'GET /metrics': '/metrics',
  };
  const samples = new Map(Object.keys(paths).map((name) => [name, { times: [] as number[], errors: 0 }]));
  let dispatching = true;
  const poll = async (name: string, path: string) => {
    const s = samples.get(name)!;
    while (dispatching) {
      const t = performance.now();
      const r = await http(ctx.stack, 'GET', path, { key: brand.keys.campaign_manager });
      s.times.push(performance.now() - t);
      if (r.status < 200 || r.status > 299) s.errors++;
      await sleep(20);
    }
  };
  const polling = Promise.all(Object.entries(paths).map(([name, path]) => poll(name, path)));
  try {
    await waitFor('every recipient resolved', async () => {
      const c = await must(ctx, 200, 'GET', paths['GET campaign']!, brand.keys.campaign_manager);
      return c.counts.pending === 0 && c.counts.sent === n;
    }, 15 * 60_000, 250);
  } finally {
    dispatching = false;
    await polling;
  }
  const dispatchMs = performance.now() - t0;
  const result: ReadsResult = {
    recipients: n,
    dispatchMs,
    reads: [...samples].map(([name, s]) => ({
      name,
      path: paths[name]!.replace(brand.accountId, '{accountId}').replace(created.campaignId, '{campaignId}'),
      samples: s.times.length,
      p50: percentile(s.times, 50),
      p99: percentile(s.times, 99),
      max: Math.max(...s.times),
      errors: s.errors,
    })),
  };
  ctx.log(`reads: ${n} dispatched in ${Math.round(dispatchMs)} ms; ${result.reads.map((r) => `${r.name} p99 ${Math.round(r.p99)} ms (${r.samples})`).join(', ')}`);
  return result;
}
