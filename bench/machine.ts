import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { temporalBinary } from '../scripts/temporal.js';

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  temporalCli: string;
  date: string;
  /** 1-minute load average when the bench started: other work on the machine shows here. */
  loadAtStart: number;
}

export async function describeMachine(): Promise<Machine> {
  const cli = await temporalBinary('cli');
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    temporalCli: execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim(),
    date: new Date().toISOString(),
    loadAtStart: os.loadavg()[0]!,
  };
}

/** Load average now (1 min) — compared with the start to tell a quiet run from a shared one. */
export const loadNow = () => os.loadavg()[0]!;
