// Pacing accuracy: a campaign paced at `pacing.messagesPerSecond`, its achieved rate measured at the
// sink from the first push to the last.
import { brandWithSink, campaignBody, registerMany } from '../test/fixtures.js';
import { historyFacts, must, scaled, timedPost, type BenchContext } from './context.js';
import { waitFor } from './stats.js';

export const PACED_RATE = 500;

export interface PacingResult {
  recipients: number;
  target: number;
  achieved: number;
  /** achieved / target − 1 */
  error: number;
  spanMs: number;
  historyEvents: number;
}

export async function pacing(ctx: BenchContext): Promise<PacingResult> {
  const n = scaled(ctx, 10_000);
  const brand = await brandWithSink(ctx.stack, ctx.sink.url, ['campaign_manager'], 'Paced');
  const ids = Array.from({ length: n }, (_, i) => `paced-consumer-${i}`);
  registerMany(ctx.stack.db, brand.accountId, ids);
  await ctx.sink.reset();
  const path = `/v1/accounts/${brand.accountId}/campaigns`;
  const body = JSON.stringify(campaignBody(ids, { pacing: { messagesPerSecond: PACED_RATE } }));
  const created = await timedPost(ctx, path, brand.keys.campaign_manager, body);
  if (created.status !== 202) throw new Error(`create campaign: ${created.status}`);
  const s = await waitFor('every paced push at the sink', async () => {
    const st = await ctx.sink.stats();
    return st.count >= n && st;
  }, (n / PACED_RATE) * 3000 + 60_000, 100);
  await waitFor('every paced recipient resolved', async () => {
    const c = await must(ctx, 200, 'GET', `${path}/${created.body.campaignId}`, brand.keys.campaign_manager);
    return c.counts.pending === 0;
  }, 60_000, 100);
  if (s.duplicates || s.distinct !== n) throw new Error(`paced: ${s.distinct}/${n} distinct, ${s.duplicates} duplicates`);
  const spanMs = s.lastAt - s.firstAt;
  // n arrivals span n − 1 intervals
  const achieved = (n - 1) / (spanMs / 1000);
  const history = await historyFacts(ctx, created.body.workflowId);
  ctx.log(`pacing: ${n} at ${PACED_RATE}/s → ${achieved.toFixed(1)}/s over ${Math.round(spanMs)} ms`);
  return { recipients: n, target: PACED_RATE, achieved, error: achieved / PACED_RATE - 1, spanMs, historyEvents: history.events };
}
