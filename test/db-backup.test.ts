// `npm run db:backup` copies the live file, WAL included, while a connection keeps it open.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openDb } from '../db/client.js';

describe('npm run db:backup', () => {
  it('makes a consistent copy that holds rows still in the WAL', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-backup-'));
    const db = openDb(path.join(dataDir, 'c2m.sqlite'));
    try {
      const insert = db.$client.prepare(`insert into accounts (id, name, created_at) values (?, 'Acme', 1)`);
      db.$client.transaction(() => {
        for (let i = 0; i < 500; i++) insert.run(`acc_${i}`);
      })();
      assert.ok(fs.statSync(path.join(dataDir, 'c2m.sqlite-wal')).size > 0, 'rows are in the WAL, not yet in the main file');
      const target = path.join(dataDir, 'copy.sqlite');
      const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'db:backup', '--', target], { env: { ...process.env, C2M_DATA_DIR: dataDir } });
      assert.match(stdout, /integrity ok/);
      const copy = new Database(target, { readonly: true });
      assert.deepEqual(copy.prepare('select count(*) n from accounts').get(), { n: 500 });
      copy.close();
    } finally {
      db.$client.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
