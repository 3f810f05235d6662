// IVR latency: deflections POSTed open-loop at a steady rate, each to a distinct registered
// consumer with its own callId; latency is the POST's first byte to the push's arrival at the sink.
import { brandWithSink, registerMany } from '../test/fixtures.js';
import { historyFacts, must, scaled, timedPost, type BenchContext } from './context.js';
import { percentile, sleep, waitFor } from './stats.js';

export const IVR_RATE = 10;

export interface IvrResult {
  deflections: number;
  ratePerSecond: number;
  acceptP50: number;
  acceptP95: number;
  pushP50: number;
  pushP95: number;
  pushMax: number;
  historyEvents: number;
}

export async function ivr(ctx: BenchContext): Promise<IvrResult> {
  const n = scaled(ctx, 200, 20);
  const brand = await brandWithSink(ctx.stack, ctx.sink.url, ['ivr', 'campaign_manager'], 'IVR');
  const handoff = await must(ctx, 201, 'POST', `/v1/accounts/${brand.accountId}/handoffs`, brand.keys.campaign_manager, {
    name: 'Billing IVR',
    channels: ['app'],
    skill: 'billing',
    message: { text: 'Continue in our app 📱' },
    lookbackSeconds: 3600,
    pushPolicy: { loggedIn: true, loggedOut: true },
  });
  const ids = Array.from({ length: n }, (_, i) => `caller-${i}`);
  registerMany(ctx.stack.db, brand.accountId, ids);
  await ctx.sink.reset();

  const path = `/v1/accounts/${brand.accountId}/ivr/deflections`;
  const started = performance.now();
  const calls = ids.map(async (consumerId, i) => {
    await sleep(started + (i * 1000) / IVR_RATE - performance.now());
    const body = JSON.stringify({ handoffId: handoff.handoffId, consumerId, callId: `call-${i}`, ivrNumber: '+15550100' });
    const r = await timedPost(ctx, path, brand.keys.ivr, body);
    if (r.status !== 202) throw new Error(`deflection ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    return { consumerId, ...r };
  });
  const posted = await Promise.all(calls);
  const arrivals = await waitFor('every deflection push at the sink', async () => {
    const a = await ctx.sink.arrivals(ids);
    return Object.values(a).every((t) => t !== null) && (a as Record<string, number>);
  }, 120_000, 100);
  const push = posted.map((p) => arrivals[p.consumerId]! - p.startedAt);
  const accept = posted.map((p) => p.ms);

  let historyEvents = 0;
  for (const p of posted.slice(0, 20)) {
    const d = await must(ctx, 200, 'GET', `${path}/${p.body.deflectionId}`, brand.keys.ivr);
    historyEvents = Math.max(historyEvents, (await historyFacts(ctx, d.workflowId)).events);
  }
  const result: IvrResult = {
    deflections: n,
    ratePerSecond: IVR_RATE,
    acceptP50: percentile(accept, 50),
    acceptP95: percentile(accept, 95),
    pushP50: percentile(push, 50),
    pushP95: percentile(push, 95),
    pushMax: Math.max(...push),
    historyEvents,
  };
  ctx.log(`ivr: ${n} deflections, push p50 ${result.pushP50.toFixed(0)} ms, p95 ${result.pushP95.toFixed(0)} ms; 202 p50 ${result.acceptP50.toFixed(0)} ms`);
  return result;
}
