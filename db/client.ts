import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens (and migrates) the one SQLite file. API and worker processes write it concurrently, hence
 * WAL (readers never block the writer) and a busy timeout (a writer waits instead of failing).
 */
export function openDb(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite, { schema });
  migrateWithRetry(db as Db);
  return db as Db;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement reused per connection: hot paths (a campaign's dispatch) run the same SQL thousands of times. */
export function statement(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db.$client);
  if (!cache) statements.set(db.$client, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.$client.prepare(sql)));
  return stmt;
}

export function pingDb(db: Db): boolean {
  try {
    return db.$client.prepare('select 1 as ok').get() !== undefined;
  } catch {
    return false;
  }
}

/**
 * API and worker may start together on a fresh file; the loser of that race sees the winner's
 * half-applied state as an error, and a retry after the winner commits finds nothing left to do.
 */
function migrateWithRetry(db: Db, attempts = 10): void {
  for (let i = 1; ; i++) {
    try {
      migrate(db, { migrationsFolder });
      return;
    } catch (err) {
      if (i >= attempts) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100 * i);
    }
  }
}
