import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from './client.js';
import { consumers } from './schema.js';

export type ConsumerRow = typeof consumers.$inferSelect;

export interface SessionInput {
  pushToken?: string | undefined;
  platform: 'ios' | 'android';
  sdkVersion: string;
  appId: string;
  device: { model: string; os: string; osVersion: string };
  location?: { country: string; city: string } | undefined;
}

/** Login: registers the consumer on first call; a login without a token keeps the known one. */
export function login(db: Db, accountId: string, consumerId: string, s: SessionInput, now = Date.now()): ConsumerRow {
  const fields = {
    loggedIn: true,
    platform: s.platform,
    sdkVersion: s.sdkVersion,
    appId: s.appId,
    deviceModel: s.device.model,
    deviceOs: s.device.os,
    osVersion: s.device.osVersion,
    ...(s.location ? { country: s.location.country, city: s.location.city } : {}),
    ...(s.pushToken !== undefined ? { pushToken: s.pushToken } : {}),
    lastLoginAt: now,
    updatedAt: now,
  };
  return db
    .insert(consumers)
    .values({ accountId, consumerId, firstLoginAt: now, ...fields })
    .onConflictDoUpdate({ target: [consumers.accountId, consumers.consumerId], set: fields })
    .returning()
    .get();
}

export function logout(db: Db, accountId: string, consumerId: string, unregisterPush: boolean, now = Date.now()): ConsumerRow | undefined {
  return db
    .update(consumers)
    .set({ loggedIn: false, updatedAt: now, ...(unregisterPush ? { pushToken: null } : {}) })
    .where(and(eq(consumers.accountId, accountId), eq(consumers.consumerId, consumerId)))
    .returning()
    .get();
}

export function getConsumer(db: Db, accountId: string, consumerId: string): ConsumerRow | undefined {
  return db
    .select()
    .from(consumers)
    .where(and(eq(consumers.accountId, accountId), eq(consumers.consumerId, consumerId)))
    .get();
}

/** One indexed lookup per 900 IDs (under SQLite's bound-parameter limit), not one per consumer. */
export function getConsumers(db: Db, accountId: string, consumerIds: readonly string[]): Map<string, ConsumerRow> {
  const found = new Map<string, ConsumerRow>();
  for (let i = 0; i < consumerIds.length; i += 900) {
    const rows = db
      .select()
      .from(consumers)
      .where(and(eq(consumers.accountId, accountId), inArray(consumers.consumerId, consumerIds.slice(i, i + 900) as string[])))
      .all();
    for (const row of rows) found.set(row.consumerId, row);
  }
  return found;
}
