// `npm run bench [-- --quick] [--runs N] [--only fanout,reads,pacing,ivr,acceptance] [--out FILE] [--send-threads N]`
// Starts the real stack and a sink, runs the benchmarks, writes the report, and leaves no process
// behind whatever happens (graceful stop in `finally`, SIGKILL of the whole tree on any other exit).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { acceptance } from './acceptance.js';
import type { BenchContext } from './context.js';
import { fanout } from './fanout.js';
import { ivr } from './ivr.js';
import { describeMachine, loadNow } from './machine.js';
import { pacing } from './pacing.js';
import { reads } from './reads.js';
import { killEverything } from './processes.js';
import { renderReport, type Report } from './report.js';
import { startSink, type BenchSink } from './sink.js';
import { startBenchStack, type BenchStack } from './stack.js';
import { loadConfig } from '../worker/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCHMARKS = { fanout, reads, pacing, ivr, acceptance } as const;
type Name = keyof typeof BENCHMARKS;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
    'send-threads': { type: 'string' },
    note: { type: 'string', multiple: true },
  },
});
const quick = values.quick!;
const runs = Number(values.runs ?? 3);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive integer');
const only = (values.only?.split(',') ?? Object.keys(BENCHMARKS)) as Name[];
for (const name of only) if (!(name in BENCHMARKS)) throw new Error(`unknown benchmark ${name}; one of ${Object.keys(BENCHMARKS).join(', ')}`);
// The worker's own default unless given: what `npm start` runs.
const sendThreads = loadConfig({ ...process.env, ...(values['send-threads'] ? { C2M_SEND_THREADS: values['send-threads'] } : {}) }).sendThreads;
const out = path.resolve(root, values.out ?? (quick ? 'BENCHMARKS.quick.md' : 'BENCHMARKS.md'));

const log = (message: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

let stack: BenchStack | undefined;
let sink: BenchSink | undefined;
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    await stack?.stop().catch(() => undefined);
    await sink?.stop().catch(() => undefined);
  })());

process.on('exit', killEverything);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<void> {
  const machine = await describeMachine();
  log(`${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB.toFixed(1)} GiB, Node ${machine.node}, load ${machine.loadAtStart.toFixed(2)}`);
  sink = await startSink();
  // High enough that no benchmark is shaped by the per-account limit of 3/s.
  stack = await startBenchStack({ C2M_RATE_LIMIT_RPS: '100000', C2M_SEND_THREADS: String(sendThreads) });
  log(`stack up at ${stack.baseUrl} (worker ${stack.pids.worker}, api ${stack.pids.api}, temporal ${stack.pids.temporal}); data in ${stack.dataDir}`);

  const ctx: BenchContext = { stack, sink, scale: quick ? 0.1 : 1, runs, log };
  const report: Report = { quick, machine, sendThreads, maxLoad: machine.loadAtStart, peaks: {}, notes: [...(values.note ?? [])] };
  const loadSampler = setInterval(() => (report.maxLoad = Math.max(report.maxLoad, loadNow())), 5000);
  try {
    for (const name of only) {
      log(`${name}…`);
      stack.resetPeaks();
      (report as unknown as Record<Name, unknown>)[name] = await BENCHMARKS[name](ctx);
      report.peaks[name] = stack.peaks();
    }
  } finally {
    clearInterval(loadSampler);
  }
  const restarted = stack.restarted();
  if (restarted.length) report.notes.push(`The supervisor restarted ${restarted.join(', ')} during the run: figures are suspect.`);

  const findings = path.join(root, 'bench', 'findings.md');
  const text = renderReport(report) + (fs.existsSync(findings) && !quick ? `\n${fs.readFileSync(findings, 'utf8')}` : '');
  fs.writeFileSync(out, text);
  log(`wrote ${path.relative(root, out)}`);
}

let failed = false;
try {
  await main();
} catch (err) {
  failed = true;
  log(`FAILED: ${(err as Error).stack ?? String(err)}`);
  if (stack) log(`stack log and data kept in ${stack.dataDir}`);
} finally {
  const dataDir = stack?.dataDir;
  await cleanup();
  if (dataDir && !failed) fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
