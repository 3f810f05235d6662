import { eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { pushConfigs } from './schema.js';

export type PushConfigRow = typeof pushConfigs.$inferSelect;

export type PushConfig =
  | { provider: 'inbox' }
  | {
      provider: 'webhook';
      url: string;
      headers?: Record<string, string> | undefined;
      signingSecret?: string | undefined;
      messagesPerSecond?: number | undefined;
      timeoutMs?: number | undefined;
    };

/** An account without a stored config uses the inbox: no external call. */
export function getPushConfig(db: Db, accountId: string): PushConfig {
  const row = db.select().from(pushConfigs).where(eq(pushConfigs.accountId, accountId)).get();
  if (!row || row.provider === 'inbox' || !row.url) return { provider: 'inbox' };
  return {
    provider: 'webhook',
    url: row.url,
    headers: row.headers ?? undefined,
    signingSecret: row.signingSecret ?? undefined,
    messagesPerSecond: row.messagesPerSecond ?? undefined,
    timeoutMs: row.timeoutMs ?? undefined,
  };
}

export function putPushConfig(db: Db, accountId: string, c: PushConfig, now = Date.now()): void {
  const row = {
    provider: c.provider,
    url: c.provider === 'webhook' ? c.url : null,
    headers: c.provider === 'webhook' ? (c.headers ?? null) : null,
    signingSecret: c.provider === 'webhook' ? (c.signingSecret ?? null) : null,
    messagesPerSecond: c.provider === 'webhook' ? (c.messagesPerSecond ?? null) : null,
    timeoutMs: c.provider === 'webhook' ? (c.timeoutMs ?? null) : null,
    updatedAt: now,
  };
  db.insert(pushConfigs)
    .values({ accountId, ...row })
    .onConflictDoUpdate({ target: pushConfigs.accountId, set: row })
    .run();
}
