import { eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { idpConfigs } from './schema.js';

export type IdpConfigRow = typeof idpConfigs.$inferSelect;
export type IdpConfigValues = Omit<IdpConfigRow, 'accountId' | 'updatedAt'>;

export function getIdpConfig(db: Db, accountId: string): IdpConfigRow | undefined {
  return db.select().from(idpConfigs).where(eq(idpConfigs.accountId, accountId)).get();
}

export function putIdpConfig(db: Db, accountId: string, values: IdpConfigValues, now = Date.now()): IdpConfigRow {
  const row = { ...values, accountId, updatedAt: now };
  db.insert(idpConfigs).values(row).onConflictDoUpdate({ target: idpConfigs.accountId, set: { ...values, updatedAt: now } }).run();
  return row;
}

export function deleteIdpConfig(db: Db, accountId: string): boolean {
  return db.delete(idpConfigs).where(eq(idpConfigs.accountId, accountId)).run().changes > 0;
}
