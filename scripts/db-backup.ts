// `npm run db:backup [-- <file>]`: a consistent copy of the live SQLite file while API and workers
// keep writing. SQLite's online backup API copies committed pages (WAL included); copying the .sqlite
// file with cp would miss what is still in the -wal file, or catch a page mid-write.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../worker/config.js';

const config = loadConfig();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const target = path.resolve(process.argv[2] ?? path.join(config.dataDir, 'backups', `c2m-${stamp}.sqlite`));
if (!fs.existsSync(config.dbFile)) {
  console.error(`no database at ${config.dbFile} (set C2M_DATA_DIR)`);
  process.exit(1);
}
if (fs.existsSync(target)) {
  console.error(`${target} exists; not overwriting`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(target), { recursive: true });

const source = new Database(config.dbFile, { fileMustExist: true });
source.pragma('busy_timeout = 10000');
const started = Date.now();
await source.backup(target);
source.close();

const copy = new Database(target, { readonly: true });
const check = copy.pragma('integrity_check', { simple: true });
copy.close();
if (check !== 'ok') {
  console.error(`backup ${target} failed its integrity check: ${String(check)}`);
  process.exit(1);
}
console.log(`backed up ${config.dbFile} to ${target} (${fs.statSync(target).size} bytes, ${Date.now() - started} ms, integrity ok)`);
