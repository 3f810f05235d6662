// Acceptance: time to 202 for a create request naming N consumers (validation, 100,000 rows
// written in one transaction, workflow started). The campaigns start a day later, so their
// dispatch does not load the measurement.
import { campaignBody } from '../test/fixtures.js';
import { newAccount } from '../test/harness.js';
import { scaled, timedPost, type BenchContext } from './context.js';
import { percentile } from './stats.js';

export interface AcceptanceResult {
  consumers: number;
  requests: number;
  bodyMiB: number;
  p50: number;
  p95: number;
  max: number;
  /** Every request's time, in the order sent. */
  samples: number[];
}

export async function acceptance(ctx: BenchContext): Promise<AcceptanceResult> {
  const n = scaled(ctx, 100_000);
  const requests = ctx.scale < 1 ? 5 : 10;
  const { accountId, keys } = await newAccount(ctx.stack, ['campaign_manager'], 'Acceptance');
  const ids = Array.from({ length: n }, (_, i) => `accept-consumer-${String(i).padStart(8, '0')}`);
  const startAt = new Date(Date.now() + 86_400_000).toISOString();
  const body = JSON.stringify(campaignBody(ids, { startAt }));
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const r = await timedPost(ctx, `/v1/accounts/${accountId}/campaigns`, keys.campaign_manager, body);
    if (r.status !== 202 || r.body.acceptedConsumers !== n) throw new Error(`create ${i}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    times.push(r.ms);
  }
  const result = { consumers: n, requests, bodyMiB: Buffer.byteLength(body) / 2 ** 20, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), samples: times };
  ctx.log(`acceptance: ${requests} × ${n} consumers, 202 p50 ${result.p50.toFixed(0)} ms, p95 ${result.p95.toFixed(0)} ms`);
  return result;
}
