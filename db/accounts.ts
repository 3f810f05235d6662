import { createHash, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from './client.js';
import { newId, newSecret } from './ids.js';
import { accounts, apiKeys, type Role } from './schema.js';

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function safeEqualHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

export function createAccount(db: Db, name: string, now = Date.now()) {
  const row = { id: newId('acc'), name, createdAt: now };
  db.insert(accounts).values(row).run();
  return row;
}

export function getAccount(db: Db, accountId: string) {
  return db.select().from(accounts).where(eq(accounts.id, accountId)).get();
}

/** The plain key is `c2m_<keyId>.<secret>`; only the secret's hash is kept. */
export function createApiKey(db: Db, accountId: string, role: Role, name: string, now = Date.now()) {
  const id = newId('key');
  const secret = newSecret();
  db.insert(apiKeys).values({ id, accountId, role, name, secretHash: hashSecret(secret), createdAt: now }).run();
  return { keyId: id, key: `c2m_${id}.${secret}`, role, name };
}

export function parseApiKey(token: string): { keyId: string; secret: string } | undefined {
  const m = /^c2m_(key_[0-9a-z]+)\.([A-Za-z0-9_-]{16,})$/.exec(token);
  return m ? { keyId: m[1]!, secret: m[2]! } : undefined;
}

export function findActiveKey(db: Db, token: string) {
  const parsed = parseApiKey(token);
  if (!parsed) return undefined;
  const row = db.select().from(apiKeys).where(and(eq(apiKeys.id, parsed.keyId), isNull(apiKeys.revokedAt))).get();
  if (!row || !safeEqualHex(row.secretHash, hashSecret(parsed.secret))) return undefined;
  return row;
}

export function revokeApiKey(db: Db, accountId: string, keyId: string, now = Date.now()): boolean {
  const res = db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.accountId, accountId), isNull(apiKeys.revokedAt)))
    .run();
  return res.changes > 0;
}

export interface AccountSettings {
  defaultSkill: string;
  welcomeMessage: string | null;
}

/** Undefined when there is no such account. */
export function updateAccountSettings(db: Db, accountId: string, changes: Partial<AccountSettings>) {
  if (Object.keys(changes).length > 0) db.update(accounts).set(changes).where(eq(accounts.id, accountId)).run();
  return getAccount(db, accountId);
}
