// Fan-out: a campaign to N eligible consumers on the webhook provider with no pacing, against a
// baseline that POSTs the same bodies to the same sink with the same concurrency and no
// orchestration (no Temporal, no database). The ratio is what the engine costs.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BaselineArgs } from './baseline-client.js';
import { brandWithSink, campaignBody, registerMany, SINK_SECRET } from '../test/fixtures.js';
import { newAccount } from '../test/harness.js';
import { historyFacts, must, scaled, timedPost, type BenchContext } from './context.js';
import { cpuMeter } from './processes.js';
import { median, nowMs, waitFor } from './stats.js';

const BASELINE_CLIENT = fileURLToPath(new URL('./baseline-client.ts', import.meta.url));

/** ActivityDeps.sendConcurrency of the default worker. */
export const SEND_CONCURRENCY = 64;

export interface FanoutRun {
  recipients: number;
  acceptMs: number;
  /** 202 → last push at the sink. */
  lastArrivalMs: number;
  /** 202 → every recipient's outcome recorded (seen through GET campaign). */
  resolvedMs: number;
  rate: number;
  baselineMs: number;
  baselineRate: number;
  ratio: number;
  historyEvents: number;
  workflowRuns: number;
  activities: number;
  /** Summed gaps between one activity's end and the next one's start (page turn-around). */
  betweenActivitiesMs: number;
  /** CPU microseconds per recipient, by process, in the campaign and in the baseline. */
  cpuPerRecipientUs: { campaign: Record<string, number>; baseline: Record<string, number> };
}

/** The same campaign on the inbox provider (no provider call): what the engine alone costs. */
export interface EngineOnly {
  recipients: number;
  resolvedMs: number;
  rate: number;
  cpuPerRecipientUs: Record<string, number>;
}

export interface FanoutResult {
  runs: FanoutRun[];
  engineOnly: EngineOnly;
  median: { resolvedMs: number; rate: number; baselineRate: number; ratio: number };
  /** The median campaign rate against the fastest baseline of all runs: the ratio with the baseline at its best. */
  againstFastestBaseline: number;
  historyEvents: number;
}

async function baseline(ctx: BenchContext, accountId: string, idPrefix: string, n: number, tag: string): Promise<{ ms: number; cpu: Record<string, number> }> {
  await ctx.sink.reset();
  const args: BaselineArgs = { sinkUrl: ctx.sink.url, secret: SINK_SECRET, accountId, idPrefix, n, tag, concurrency: SEND_CONCURRENCY };
  const sinkCpu = cpuMeter({ sink: ctx.sink.pid });
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', BASELINE_CLIENT, JSON.stringify(args)], { timeout: 15 * 60_000 });
  const used = sinkCpu();
  const out = JSON.parse(stdout) as { ms: number; cpuUs: number; failed: number };
  const s = await ctx.sink.stats();
  if (out.failed || s.distinct !== n) throw new Error(`baseline: ${out.failed} failed, ${s.distinct}/${n} at the sink`);
  return { ms: out.ms, cpu: { baseline: out.cpuUs / 1e6, sink: used.sink! } };
}

const perRecipientUs = (cpu: Record<string, number>, n: number) => Object.fromEntries(Object.entries(cpu).map(([k, s]) => [k, (s * 1e6) / n]));

async function campaignRun(ctx: BenchContext, run: number): Promise<FanoutRun> {
  const n = scaled(ctx, 100_000);
  const brand = await brandWithSink(ctx.stack, ctx.sink.url, ['campaign_manager'], `Fan-out ${run}`);
  const ids = Array.from({ length: n }, (_, i) => `fan${run}-consumer-${i}`);
  registerMany(ctx.stack.db, brand.accountId, ids);

  const base = await baseline(ctx, brand.accountId, `fan${run}-consumer-`, n, `base${run}`);
  const baselineMs = base.ms;
  ctx.log(`fan-out run ${run}: baseline ${n} POSTs in ${Math.round(baselineMs)} ms`);

  await ctx.sink.reset();
  const path = `/v1/accounts/${brand.accountId}/campaigns`;
  const { worker, api, temporal } = ctx.stack.pids;
  const cpu = cpuMeter({ worker, api, temporal, sink: ctx.sink.pid, bench: process.pid });
  const created = await timedPost(ctx, path, brand.keys.campaign_manager, JSON.stringify(campaignBody(ids)));
  if (created.status !== 202) throw new Error(`create campaign: ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
  const acceptedAt = created.startedAt + created.ms;
  const timeout = 15 * 60_000;
  const arrived = await waitFor('every push at the sink', async () => {
    const s = await ctx.sink.stats();
    return s.count >= n && s;
  }, timeout, 50);
  const campaign = await waitFor('every recipient resolved', async () => {
    const c = await must(ctx, 200, 'GET', `${path}/${created.body.campaignId}`, brand.keys.campaign_manager);
    return c.counts.pending === 0 && c;
  }, timeout, 50);
  const resolvedMs = nowMs() - acceptedAt;
  const used = cpu();
  if (campaign.counts.sent !== n || arrived.duplicates !== 0 || arrived.distinct !== n) {
    throw new Error(`campaign: sent ${campaign.counts.sent}/${n}, ${arrived.distinct} distinct and ${arrived.duplicates} duplicate pushes at the sink`);
  }
  const history = await historyFacts(ctx, created.body.workflowId);
  const rate = n / (resolvedMs / 1000);
  const baselineRate = n / (baselineMs / 1000);
  const result: FanoutRun = {
    recipients: n,
    acceptMs: created.ms,
    lastArrivalMs: arrived.lastAt - acceptedAt,
    resolvedMs,
    rate,
    baselineMs,
    baselineRate,
    ratio: rate / baselineRate,
    historyEvents: history.events,
    workflowRuns: history.runs,
    activities: history.activities,
    betweenActivitiesMs: history.betweenActivitiesMs,
    cpuPerRecipientUs: { campaign: perRecipientUs(used, n), baseline: perRecipientUs(base.cpu, n) },
  };
  ctx.log(`fan-out run ${run}: 202 in ${Math.round(created.ms)} ms, resolved in ${Math.round(resolvedMs)} ms (${Math.round(rate)}/s, ratio ${result.ratio.toFixed(2)}), history ${history.events} events in ${history.runs} run(s), ${history.activities} activities, ${Math.round(history.betweenActivitiesMs)} ms between them; CPU µs/recipient ${JSON.stringify(result.cpuPerRecipientUs, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}`);
  return result;
}

async function engineOnly(ctx: BenchContext): Promise<EngineOnly> {
  const n = scaled(ctx, 100_000);
  const { accountId, keys } = await newAccount(ctx.stack, ['campaign_manager'], 'Inbox');
  const ids = Array.from({ length: n }, (_, i) => `inbox-consumer-${i}`);
  registerMany(ctx.stack.db, accountId, ids);
  const path = `/v1/accounts/${accountId}/campaigns`;
  const { worker, api, temporal } = ctx.stack.pids;
  const cpu = cpuMeter({ worker, api, temporal });
  const created = await timedPost(ctx, path, keys.campaign_manager, JSON.stringify(campaignBody(ids)));
  if (created.status !== 202) throw new Error(`create campaign: ${created.status}`);
  const acceptedAt = created.startedAt + created.ms;
  const c = await waitFor('every inbox recipient resolved', async () => {
    const got = await must(ctx, 200, 'GET', `${path}/${created.body.campaignId}`, keys.campaign_manager);
    return got.counts.pending === 0 && got;
  }, 15 * 60_000, 50);
  const resolvedMs = nowMs() - acceptedAt;
  if (c.counts.sent !== n) throw new Error(`inbox campaign: sent ${c.counts.sent}/${n}`);
  const result = { recipients: n, resolvedMs, rate: n / (resolvedMs / 1000), cpuPerRecipientUs: perRecipientUs(cpu(), n) };
  ctx.log(`engine only (inbox provider): ${n} resolved in ${Math.round(resolvedMs)} ms (${Math.round(result.rate)}/s), worker ${Math.round(result.cpuPerRecipientUs.worker!)} µs/recipient`);
  return result;
}

export async function fanout(ctx: BenchContext): Promise<FanoutResult> {
  const runs: FanoutRun[] = [];
  for (let i = 1; i <= ctx.runs; i++) runs.push(await campaignRun(ctx, i));
  return {
    runs,
    engineOnly: await engineOnly(ctx),
    median: {
      resolvedMs: median(runs.map((r) => r.resolvedMs)),
      rate: median(runs.map((r) => r.rate)),
      baselineRate: median(runs.map((r) => r.baselineRate)),
      ratio: median(runs.map((r) => r.ratio)),
    },
    againstFastestBaseline: median(runs.map((r) => r.rate)) / Math.max(...runs.map((r) => r.baselineRate)),
    historyEvents: Math.max(...runs.map((r) => r.historyEvents)),
  };
}
