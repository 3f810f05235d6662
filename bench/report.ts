// BENCHMARKS.md from the figures of one bench run.
import type { AcceptanceResult } from './acceptance.js';
import type { FanoutResult, FanoutRun } from './fanout.js';
import { median } from './stats.js';
import type { IvrResult } from './ivr.js';
import type { ReadsResult } from './reads.js';
import type { Machine } from './machine.js';
import type { PacingResult } from './pacing.js';
import type { Part } from './stack.js';

export interface Report {
  quick: boolean;
  machine: Machine;
  /** C2M_SEND_THREADS of the worker under test. */
  sendThreads: number;
  maxLoad: number;
  fanout?: FanoutResult;
  pacing?: PacingResult;
  ivr?: IvrResult;
  reads?: ReadsResult;
  acceptance?: AcceptanceResult;
  peaks: Record<string, Record<Part, number>>;
  notes: string[];
}

const ms = (v: number) => `${Math.round(v).toLocaleString('en-US')} ms`;
const int = (v: number) => Math.round(v).toLocaleString('en-US');
const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');

export function renderReport(r: Report): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`# c2m benchmarks${r.quick ? ' (quick: a tenth of the size, not for comparison)' : ''}`, '');
  out.push('Written by `npm run bench` (bench/run.ts). Every figure comes from the real stack as `npm start` runs it —');
  out.push('Temporal dev server (SQLite persistence), worker and API as separate processes on the embedded');
  out.push('defaults (rate limit raised for the run) — pushing over the webhook provider to a local sink process.', '');
  out.push('## Machine', '');
  out.push('| | |', '| --- | --- |');
  out.push(`| CPU | ${m.cpu}, ${m.cores} cores |`);
  out.push(`| RAM | ${m.ramGiB.toFixed(1)} GiB |`);
  out.push(`| OS | ${m.os} |`);
  out.push(`| Node | ${m.node} |`);
  out.push(`| Temporal CLI | ${m.temporalCli.replace(/\n/g, ' ')} |`);
  out.push(`| Date | ${m.date} |`);
  out.push(`| Load average (1 min) | ${m.loadAtStart.toFixed(2)} at start, up to ${r.maxLoad.toFixed(2)} during the run |`, '');
  for (const note of r.notes) out.push(`> ${note}`, '');

  if (r.fanout) {
    const f = r.fanout;
    const n = f.runs[0]!.recipients;
    out.push(`## Fan-out: ${int(n)} eligible recipients, webhook provider, no pacing`, '');
    out.push('Time from the 202 to every recipient resolved (watched through `GET …/campaigns/{id}` until');
    out.push('`counts.pending` is 0), against a baseline in the same run: a plain script POSTing the same bodies');
    out.push('with the same client code (activities/push/webhook.ts) and the same concurrency (64) to the same');
    out.push('sink, with no Temporal and no database (bench/baseline-client.ts, a fresh process per run). The baseline');
    out.push('client runs on one thread; the worker made its');
    out.push(
      r.sendThreads > 0
        ? `webhook calls on ${r.sendThreads} send thread${r.sendThreads === 1 ? "" : "s"} beside its main thread (\`C2M_SEND_THREADS=${r.sendThreads}\`${r.sendThreads === 1 ? ", the default" : ""}), which keeps the database, the claims and Temporal.`
        : 'webhook calls on its main thread (`C2M_SEND_THREADS=0`), beside the database, the claims and Temporal.',
      '',
    );
    out.push('| run | 202 | 202 → last push at sink | 202 → all resolved | recipients/s | baseline | baseline/s | ratio | history (longest run) | activities, time between them |');
    out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    f.runs.forEach((x, i) =>
      out.push(`| ${i + 1} | ${ms(x.acceptMs)} | ${ms(x.lastArrivalMs)} | ${ms(x.resolvedMs)} | ${int(x.rate)} | ${ms(x.baselineMs)} | ${int(x.baselineRate)} | ${x.ratio.toFixed(2)} | ${x.historyEvents} events, ${x.workflowRuns} run(s) | ${x.activities}, ${ms(x.betweenActivitiesMs)} |`),
    );
    out.push(`| **median** | | | **${ms(f.median.resolvedMs)}** | **${int(f.median.rate)}** | | **${int(f.median.baselineRate)}** | **${f.median.ratio.toFixed(2)}** | | |`, '');
    out.push(
      `Goal: ratio ≥ 0.8 of baseline — ${mark(f.median.ratio >= 0.8)}. Against the fastest baseline of the ${f.runs.length} runs, the median campaign rate is ${f.againstFastestBaseline.toFixed(2)} of it.`,
      '',
    );
    const us = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : `${Math.round(v)} µs`);
    const cpu = (pick: (x: FanoutRun) => number | undefined) => us(median(f.runs.map(pick).filter((v): v is number => v !== undefined)));
    out.push('CPU per recipient (medians; /proc utime + stime over the measured window, all threads):', '');
    out.push('| | worker | Temporal server | API | sink | bench / baseline client |', '| --- | --- | --- | --- | --- | --- |');
    out.push(
      `| campaign | ${cpu((x) => x.cpuPerRecipientUs.campaign.worker)} | ${cpu((x) => x.cpuPerRecipientUs.campaign.temporal)} | ${cpu((x) => x.cpuPerRecipientUs.campaign.api)} | ${cpu((x) => x.cpuPerRecipientUs.campaign.sink)} | ${cpu((x) => x.cpuPerRecipientUs.campaign.bench)} |`,
    );
    out.push(`| baseline | | | | ${cpu((x) => x.cpuPerRecipientUs.baseline.sink)} | ${cpu((x) => x.cpuPerRecipientUs.baseline.baseline)} |`);
    const e = f.engineOnly;
    out.push(`| same campaign, inbox provider (no HTTP) | ${us(e.cpuPerRecipientUs.worker)} | ${us(e.cpuPerRecipientUs.temporal)} | ${us(e.cpuPerRecipientUs.api)} | | |`, '');
    out.push(`Engine only (the same ${int(e.recipients)}-recipient campaign on the inbox provider, which makes no call): resolved in ${ms(e.resolvedMs)}, ${int(e.rate)} recipients/s.`, '');
  }
  if (r.reads) {
    const v = r.reads;
    out.push(`## Reads during a fan-out of ${int(v.recipients)} recipients`, '');
    out.push('While the campaign dispatches over the webhook provider (all resolved in ' + ms(v.dispatchMs) + '), one client per endpoint');
    out.push('asks again 20 ms after each answer; the API is its own process, as `npm start` runs it.', '');
    out.push('| read | samples | p50 | p99 | max | non-2xx |', '| --- | --- | --- | --- | --- | --- |');
    for (const x of v.reads) out.push(`| ${x.name} \`${x.path}\` | ${x.samples} | ${ms(x.p50)} | ${ms(x.p99)} | ${ms(x.max)} | ${x.errors} |`);
    out.push('');
  }
  if (r.acceptance) {
    const a = r.acceptance;
    out.push(`## Acceptance: time to 202 for ${int(a.consumers)} consumers`, '');
    out.push(`${a.requests} create requests one after another, each a ${a.bodyMiB.toFixed(1)} MiB body; timed from the first`);
    out.push('byte sent to the 202 read (validation, the campaign and its recipient rows in one transaction, the');
    out.push('workflow started). Campaigns start a day later so no dispatch overlaps.', '');
    out.push('| p50 | p95 | max |', '| --- | --- | --- |', `| ${ms(a.p50)} | ${ms(a.p95)} | ${ms(a.max)} |`, '');
    if (a.requests < 20) out.push(`(With ${a.requests} samples the nearest-rank p95 is the slowest request but one or the slowest.)`, '');
    if (a.samples?.length) out.push(`Every request, in order: ${a.samples.map((x) => int(x)).join(', ')} ms.`, '');
  }
  if (r.pacing) {
    const p = r.pacing;
    out.push(`## Pacing accuracy: ${int(p.recipients)} recipients at ${p.target}/s`, '');
    out.push('Achieved rate at the sink from the first push to the last ((n − 1) / span).', '');
    out.push('| target | achieved | error | span |', '| --- | --- | --- | --- |');
    out.push(`| ${p.target}/s | ${p.achieved.toFixed(1)}/s | ${(p.error * 100).toFixed(2)} % | ${ms(p.spanMs)} |`, '');
    out.push(`Goal: within 5 % — ${mark(Math.abs(p.error) <= 0.05)}.`, '');
  }
  if (r.ivr) {
    const v = r.ivr;
    out.push(`## IVR deflection latency: ${v.deflections} deflections`, '');
    out.push(`POSTed open-loop at ${v.ratePerSecond}/s, distinct registered consumers, unique callIds; latency from the`);
    out.push('POST\'s first byte to the push arriving at the sink.', '');
    out.push('| | p50 | p95 | max |', '| --- | --- | --- | --- |');
    out.push(`| POST → 202 | ${ms(v.acceptP50)} | ${ms(v.acceptP95)} | |`);
    out.push(`| POST → push at sink | ${ms(v.pushP50)} | ${ms(v.pushP95)} | ${ms(v.pushMax)} |`, '');
  }
  out.push('## Memory and history', '');
  out.push('Peak RSS (VmHWM, reset at the start of each benchmark) of each process, MiB.', '');
  out.push('| benchmark | worker | API | Temporal dev server |', '| --- | --- | --- | --- |');
  for (const [name, p] of Object.entries(r.peaks)) out.push(`| ${name} | ${int(p.worker)} | ${int(p.api)} | ${int(p.temporal)} |`);
  const histories = [r.fanout?.historyEvents, r.pacing?.historyEvents, r.ivr?.historyEvents].filter((x): x is number => x !== undefined);
  out.push('', `Largest workflow history seen (events in one run): ${Math.max(...histories)} (fan-out campaign ${r.fanout?.historyEvents ?? '–'}, paced campaign ${r.pacing?.historyEvents ?? '–'}, deflection ${r.ivr?.historyEvents ?? '–'}); the server suggests continue-as-new at 4,096.`, '');
  return out.join('\n');
}
