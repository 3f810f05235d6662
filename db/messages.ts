import { statement, type Db } from './client.js';
import { STATUS_FROM_STAGES } from './receipts.js';
import type { ErrorCode } from './schema.js';

/** Live statuses: not yet resolved. 'sending' is claimed for a provider call in flight. */
export const UNRESOLVED = `('pending','sending')`;

/** Each stage keeps its own timestamp; a read receipt without a delivery receipt still proves delivery. */
export const STAGES = {
  sent: 'sent_at is not null',
  delivered: 'coalesce(delivered_at, read_at) is not null',
  read: 'read_at is not null',
  replied: 'replied_at is not null',
  failed: `status = 'failed'`,
} as const;

export interface StageCounts {
  pending: number;
  sent: number;
  failed: number;
  delivered: number;
  read: number;
  replied: number;
  expired: number;
  cancelled: number;
}
export type Counts = StageCounts & { total: number };

/**
 * The books, from the message rows themselves (so they always balance): every row is pending,
 * sent, failed, expired or cancelled, where `sent` counts every message that reached the provider
 * (delivered, read and replied included). The campaign body calls the row count `total`, reports
 * `attempted`.
 */
export const countColumns = (rowsAs: 'total' | 'attempted') => `count(*) as ${rowsAs},
  coalesce(sum(status in ('pending','sending')), 0) as pending,
  coalesce(sum(${STAGES.sent}), 0) as sent,
  coalesce(sum(${STAGES.failed}), 0) as failed,
  coalesce(sum(${STAGES.delivered}), 0) as delivered,
  coalesce(sum(${STAGES.read}), 0) as read,
  coalesce(sum(${STAGES.replied}), 0) as replied,
  coalesce(sum(status = 'expired'), 0) as expired,
  coalesce(sum(status = 'cancelled'), 0) as cancelled`;
const COUNT_COLUMNS = countColumns('total');

export function campaignCounts(db: Db, campaignId: string): Counts {
  return db.$client.prepare(`select ${COUNT_COLUMNS} from messages where campaign_id = ?`).get(campaignId) as Counts;
}

export function countsByCampaign(db: Db, campaignIds: string[]): Map<string, Counts> {
  const out = new Map<string, Counts>();
  if (campaignIds.length === 0) return out;
  const rows = db.$client
    .prepare(`select campaign_id, ${COUNT_COLUMNS} from messages where campaign_id in (${campaignIds.map(() => '?').join(',')}) group by campaign_id`)
    .all(...campaignIds) as (Counts & { campaign_id: string })[];
  for (const { campaign_id, ...counts } of rows) out.set(campaign_id, counts);
  return out;
}

export interface PageRow {
  id: string;
  seq: number;
  consumerId: string;
  status: string;
}

/** The next `limit` recipients after `afterSeq`, in order, whatever their status. */
export function recipientPage(db: Db, campaignId: string, afterSeq: number, limit: number): PageRow[] {
  return statement(db, `select id, seq, consumer_id as consumerId, status from messages where campaign_id = ? and seq > ? order by seq limit ?`)
    .all(campaignId, afterSeq, limit) as PageRow[];
}

/** Recipients skipped before any provider call, with their reason. */
export function recordSkipped(db: Db, skipped: { id: string; errorCode: ErrorCode }[], now = Date.now()): void {
  const stmt = statement(db, `update messages set status = 'failed', error_code = ?, failed_at = ? where id = ? and status = 'pending'`);
  db.$client.transaction(() => {
    for (const s of skipped) stmt.run(s.errorCode, now, s.id);
  })();
}

/**
 * Claims pending messages for sending, in the same write transaction order as cancel and lookback
 * end: once a campaign is cancelled or past `expires_at`, nothing more is claimed, so nothing more
 * is sent. Returns the IDs claimed.
 */
export function claimForSending(db: Db, campaignId: string, ids: string[], now = Date.now()): Set<string> {
  if (ids.length === 0) return new Set();
  // The IDs as one JSON array: one statement whatever the chunk size, and one bind instead of hundreds.
  const rows = statement(
    db,
    `update messages set status = 'sending'
     where id in (select value from json_each(?)) and status = 'pending'
       and exists (select 1 from campaigns c where c.id = ? and c.status = 'dispatching' and (c.expires_at is null or c.expires_at > ?))
     returning id`,
  ).all(JSON.stringify(ids), campaignId, now) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

export type SendOutcome = { id: string; ok: true; at: number; expiresAt: number } | { id: string; ok: false; errorCode: ErrorCode; at: number };

/** Provider outcomes of claimed messages, many per transaction. */
export function recordOutcomes(db: Db, outcomes: SendOutcome[]): void {
  // A receipt may have beaten the outcome here: the status then reflects the stages it recorded.
  const sent = statement(db, `update messages set sent_at = ?, expires_at = ?, status = ${STATUS_FROM_STAGES} where id = ? and status = 'sending'`);
  const failed = statement(db, `update messages set status = 'failed', error_code = ?, failed_at = ? where id = ? and status = 'sending'`);
  db.$client.transaction(() => {
    for (const o of outcomes) {
      if (o.ok) sent.run(o.at, o.expiresAt, o.id);
      else failed.run(o.errorCode, o.at, o.id);
    }
  })();
}

export function sendingCount(db: Db, campaignId: string): number {
  return (db.$client.prepare(`select count(*) n from messages where campaign_id = ? and status = 'sending'`).get(campaignId) as { n: number }).n;
}

export interface Notification {
  messageId: string;
  text: string;
  source: 'proactive' | 'ivr';
  campaignId: string | null;
  deflectionId: string | null;
  skill: string;
  status: string;
  sentAt: number;
  expiresAt: number;
}

/** The consumer's notification center: messages that reached the provider and whose lookback runs. */
export function unexpiredNotifications(db: Db, accountId: string, consumerId: string, now = Date.now()): Notification[] {
  return db.$client
    .prepare(
      `select m.id as messageId, coalesce(c.message_text, d.message_text) as text, m.source, m.campaign_id as campaignId,
              m.deflection_id as deflectionId, m.skill, m.status, m.sent_at as sentAt, m.expires_at as expiresAt
       from messages m
       left join campaigns c on c.id = m.campaign_id
       left join deflections d on d.id = m.deflection_id
       where m.account_id = ? and m.consumer_id = ? and m.sent_at is not null and m.expires_at > ?
         and coalesce(c.status, '') not in ('cancelled')
       order by m.sent_at desc`,
    )
    .all(accountId, consumerId, now) as Notification[];
}

export interface RoutingMessage {
  id: string;
  source: 'proactive' | 'ivr';
  campaignId: string | null;
  deflectionId: string | null;
  skill: string;
}

/**
 * The outbound message whose reply window is open for this consumer, the newest sent first: a
 * conversation opened now belongs to it. Served by messages_consumer_sent.
 */
export function newestInLookback(db: Db, accountId: string, consumerId: string, now = Date.now()): RoutingMessage | undefined {
  return db.$client
    .prepare(
      `select id, source, campaign_id as campaignId, deflection_id as deflectionId, skill from messages
       where account_id = ? and consumer_id = ? and sent_at is not null and expires_at > ?
         and status in ('sent','delivered','read','replied')
       order by sent_at desc, id desc limit 1`,
    )
    .get(accountId, consumerId, now) as RoutingMessage | undefined;
}
