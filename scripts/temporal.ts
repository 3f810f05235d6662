import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SEARCH_ATTRIBUTES } from '../workflows/messages.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Path of the Temporal CLI or test server, found or installed by scripts/temporal-bin.sh. */
export async function temporalBinary(which: 'cli' | 'test-server'): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [path.join(root, 'scripts/temporal-bin.sh'), which], {
    maxBuffer: 1 << 20,
  }).catch((err: { stderr?: string }) => {
    throw new Error(`cannot find or install the Temporal ${which}:\n${err.stderr ?? String(err)}`);
  });
  return stdout.trim();
}

const SA_TYPE = { KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' } as const;

/** `--search-attribute Name=Type` flags registering c2m's attributes on a dev server. */
export function searchAttributeArgs(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${SA_TYPE[k.type]}`]);
}

export interface DevServerOptions {
  cli: string;
  port: number;
  /** Absent: no Web UI (`--headless`). */
  uiPort?: number;
  namespace: string;
  dbFile?: string;
}

/** The embedded dev server: persistent when given a DB file, with the UI on its own port. */
export function spawnDevServer(o: DevServerOptions): ChildProcess {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port)];
  args.push(...(o.uiPort === undefined ? ['--headless'] : ['--ui-port', String(o.uiPort)]));
  args.push('--namespace', o.namespace, '--log-level', 'warn', '--log-format', 'json', ...searchAttributeArgs());
  if (o.dbFile) args.push('--db-filename', o.dbFile);
  return spawn(o.cli, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}
