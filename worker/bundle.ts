// The workflow bundle. Built by webpack, whose heap a process does not give back (about 100 MiB of a
// worker's RSS when the worker bundles at start), so the worker builds it in a short-lived child
// process. Run directly: `node --import tsx worker/bundle.ts <out.js>`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundles the workflows into `codePath` (written whole, then renamed: a reader never sees half a file). */
export async function writeWorkflowBundle(codePath: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  fs.mkdirSync(path.dirname(codePath), { recursive: true });
  fs.writeFileSync(`${codePath}.${process.pid}`, code);
  fs.renameSync(`${codePath}.${process.pid}`, codePath);
}

/** A fresh bundle from the current source, built by a child process. */
export async function bundleInChild(): Promise<{ code: string }> {
  const codePath = path.join(os.tmpdir(), `c2m-workflows-${process.pid}.js`);
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), codePath], { timeout: 120_000 });
    return { code: fs.readFileSync(codePath, 'utf8') };
  } finally {
    fs.rmSync(codePath, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: worker/bundle.ts <out.js>');
  await writeWorkflowBundle(out);
}
