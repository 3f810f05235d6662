// `npm run bench -- --quick` as CI runs it: every benchmark at a tenth of the size completes, the
// report names the machine and every section, and no process is left behind. No timing assertions.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { descendants } from '../bench/processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('the bench, quick', () => {
  it('runs every benchmark small, writes the report, and leaves no process behind', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-bench-smoke-')), 'BENCHMARKS.md');
    try {
      await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--runs', '1', '--out', out], { cwd: root, timeout: 240_000 });
      const report = fs.readFileSync(out, 'utf8');
      for (const heading of ['## Machine', '## Fan-out', '## Reads during a fan-out', '## Acceptance', '## Pacing accuracy', '## IVR deflection latency', '## Memory and history']) {
        assert.ok(report.includes(heading), `report has ${heading}`);
      }
      assert.match(report, /\| Temporal CLI \| temporal version /);
      // tsx keeps an esbuild service as our own child; anything else would be the bench's
      const left = descendants(process.pid).filter((p) => !p.args.startsWith('ps ') && !p.args.includes('esbuild'));
      assert.deepEqual(left, [], 'no process left');
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
