import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Db } from './client.js';
import { campaigns, idempotencyKeys, type CampaignStatus } from './schema.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type NewCampaign = typeof campaigns.$inferInsert;

const ROWS_PER_INSERT = 200; // 200 rows × 7 columns stays under SQLite's bound-parameter limit

export const messageIdFor = (campaignId: string, seq: number) => `msg_${campaignId.slice(4)}_${seq.toString(36)}`;

export interface IdempotentWrite {
  scope: string;
  key: string;
  statusCode: number;
  response: unknown;
}

/**
 * The campaign row, one pending message per recipient (multi-row prepared inserts) and the
 * idempotency record, all in one transaction: a crash leaves either all of it or none.
 */
export function insertCampaign(db: Db, campaign: NewCampaign, consumerIds: readonly string[], idempotency?: IdempotentWrite): void {
  const sqlite = db.$client;
  const placeholders = (n: number) => Array.from({ length: n }, () => `(?,?,'proactive',?,?,?,?,'pending',?)`).join(',');
  const head = 'insert into messages (id, account_id, source, campaign_id, seq, consumer_id, skill, status, created_at) values ';
  const full = sqlite.prepare(head + placeholders(ROWS_PER_INSERT));
  sqlite.transaction(() => {
    db.insert(campaigns).values(campaign).run();
    for (let start = 0; start < consumerIds.length; start += ROWS_PER_INSERT) {
      const chunk = consumerIds.slice(start, start + ROWS_PER_INSERT);
      const values: (string | number)[] = [];
      chunk.forEach((consumerId, i) => {
        const seq = start + i + 1;
        values.push(messageIdFor(campaign.id, seq), campaign.accountId, campaign.id, seq, consumerId, campaign.skill, campaign.createdAt);
      });
      (chunk.length === ROWS_PER_INSERT ? full : sqlite.prepare(head + placeholders(chunk.length))).run(...values);
    }
    if (idempotency) {
      db.insert(idempotencyKeys)
        .values({ accountId: campaign.accountId, ...idempotency, createdAt: campaign.createdAt })
        .run();
    }
  })();
}

/** Undo of insertCampaign when the workflow could not be started: nothing was accepted. */
export function deleteCampaign(db: Db, campaignId: string): void {
  const sqlite = db.$client;
  sqlite.transaction(() => {
    const row = sqlite.prepare('select account_id from campaigns where id = ?').get(campaignId) as { account_id: string } | undefined;
    sqlite.prepare('delete from messages where campaign_id = ?').run(campaignId);
    sqlite.prepare(`delete from idempotency_keys where account_id = ? and scope = 'campaigns' and json_extract(response, '$.campaignId') = ?`).run(row?.account_id, campaignId);
    sqlite.prepare('delete from campaigns where id = ?').run(campaignId);
  })();
}

export function findIdempotent(db: Db, accountId: string, scope: string, key: string) {
  return db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)))
    .get();
}

export function getCampaign(db: Db, accountId: string, campaignId: string): CampaignRow | undefined {
  return db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.accountId, accountId), eq(campaigns.id, campaignId)))
    .get();
}

export function getCampaignById(db: Db, campaignId: string): CampaignRow | undefined {
  return db.select().from(campaigns).where(eq(campaigns.id, campaignId)).get();
}

/** Newest first; the cursor is the last row's (createdAt, id). */
export function listCampaigns(db: Db, accountId: string, o: { status?: CampaignStatus | undefined; limit: number; after?: { createdAt: number; id: string } | undefined }) {
  const conditions = [eq(campaigns.accountId, accountId)];
  if (o.status) conditions.push(eq(campaigns.status, o.status));
  if (o.after) {
    conditions.push(or(lt(campaigns.createdAt, o.after.createdAt), and(eq(campaigns.createdAt, o.after.createdAt), lt(campaigns.id, o.after.id)))!);
  }
  return db
    .select()
    .from(campaigns)
    .where(and(...conditions))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(o.limit + 1)
    .all();
}

/** A transition happens only from the states listed: a late or repeated step changes nothing. */
function transition(db: Db, campaignId: string, from: CampaignStatus[], set: Partial<CampaignRow>): CampaignRow | undefined {
  const sqlite = db.$client;
  const cols = Object.keys(set).map((k) => `${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} = ?`);
  return sqlite
    .prepare(`update campaigns set ${cols.join(', ')} where id = ? and status in (${from.map(() => '?').join(',')}) returning id`)
    .get(...Object.values(set), campaignId, ...from) === undefined
    ? undefined
    : getCampaignById(db, campaignId);
}

/** Dispatch begins; the lookback (reply window) is counted from here. */
export function markDispatching(db: Db, campaignId: string, now = Date.now()): CampaignRow | undefined {
  const row = getCampaignById(db, campaignId);
  if (!row) return undefined;
  if (row.status !== 'scheduled') return row; // a retried activity: keep the first start time
  return transition(db, campaignId, ['scheduled'], { status: 'dispatching', startedAt: now, expiresAt: now + row.lookbackSeconds * 1000 });
}

export function markActive(db: Db, campaignId: string, now = Date.now()) {
  return transition(db, campaignId, ['dispatching'], { status: 'active', dispatchedAt: now }) ?? getCampaignById(db, campaignId);
}

/** Lookback over: whatever was never sent is expired; the campaign is complete. */
export function markCompleted(db: Db, campaignId: string, now = Date.now()) {
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    sqlite.prepare(`update messages set status = 'expired' where campaign_id = ? and status in ('pending','sending')`).run(campaignId);
    return transition(db, campaignId, ['dispatching', 'active'], { status: 'completed', completedAt: now, dispatchedAt: getCampaignById(db, campaignId)?.dispatchedAt ?? now });
  })();
}

/** Pending recipients become cancelled in the same transaction that stops further claims. */
export function markCancelled(db: Db, campaignId: string, now = Date.now()) {
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    const row = transition(db, campaignId, ['scheduled', 'dispatching', 'active'], { status: 'cancelled', completedAt: now });
    if (row) sqlite.prepare(`update messages set status = 'cancelled' where campaign_id = ? and status = 'pending'`).run(campaignId);
    return row;
  })();
}

export function markFailed(db: Db, campaignId: string, now = Date.now()) {
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    const row = transition(db, campaignId, ['scheduled', 'dispatching', 'active'], { status: 'failed', completedAt: now });
    if (row) sqlite.prepare(`update messages set status = 'cancelled' where campaign_id = ? and status = 'pending'`).run(campaignId);
    return row;
  })();
}
