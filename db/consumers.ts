import { and, eq } from 'drizzle-orm';
import { statement, type Db } from './client.js';
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

const CONSUMER_COLUMNS = `account_id as accountId, consumer_id as consumerId, logged_in as loggedIn, push_token as pushToken, platform,
  sdk_version as sdkVersion, app_id as appId, device_model as deviceModel, device_os as deviceOs, os_version as osVersion, country, city,
  first_login_at as firstLoginAt, last_login_at as lastLoginAt, updated_at as updatedAt`;

/**
 * One indexed lookup for a whole page of IDs (passed as one JSON array, so one cached statement
 * serves every page size). Raw SQL: a campaign's dispatch calls this for every page, and drizzle's
 * query building cost more than the lookup.
 */
export function getConsumers(db: Db, accountId: string, consumerIds: readonly string[]): Map<string, ConsumerRow> {
  const found = new Map<string, ConsumerRow>();
  if (consumerIds.length === 0) return found;
  const rows = statement(db, `select ${CONSUMER_COLUMNS} from consumers where account_id = ? and consumer_id in (select value from json_each(?))`).all(
    accountId,
    JSON.stringify(consumerIds),
  ) as ConsumerRow[];
  for (const row of rows) {
    row.loggedIn = (row.loggedIn as unknown) === 1; // stored as 0/1
    found.set(row.consumerId, row);
  }
  return found;
}
