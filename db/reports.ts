import type { Db } from './client.js';
import type { ErrorCode } from './schema.js';
import { countColumns, STAGES, type StageCounts } from './messages.js';

/**
 * Report counts, one aggregate pass over the message rows. Each stage keeps its own timestamp, so a
 * message that was read (or replied to) after delivery still counts as sent and delivered:
 * attempted = pending + sent + failed + expired + cancelled, with `sent` every message that reached
 * the provider. A read receipt without a delivery receipt still proves delivery.
 */
export type ReportCounts = StageCounts & { attempted: number };

const COUNT_COLUMNS = countColumns('attempted');

export type FailureReasons = Partial<Record<ErrorCode, number>>;

function reasons(rows: { code: ErrorCode | null; n: number }[]): FailureReasons {
  const out: FailureReasons = {};
  for (const r of rows) if (r.code) out[r.code] = r.n;
  return out;
}

export interface Report extends ReportCounts {
  conversationsCreated: number;
  failureReasons: FailureReasons;
}

/**
 * Counts, failure reasons and conversations of the messages matching `where`, in one read
 * transaction: they describe the same moment.
 */
function report(db: Db, where: string, args: (string | number)[], conversations: { sql: string; args: (string | number)[] }): Report {
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    const counts = sqlite.prepare(`select ${COUNT_COLUMNS} from messages where ${where}`).get(...args) as ReportCounts;
    const failed = sqlite
      .prepare(`select error_code as code, count(*) as n from messages where ${where} and status = 'failed' group by error_code`)
      .all(...args) as { code: ErrorCode | null; n: number }[];
    const conversationsCreated = (sqlite.prepare(conversations.sql).get(...conversations.args) as { n: number }).n;
    return { ...counts, conversationsCreated, failureReasons: reasons(failed) };
  })();
}

export function campaignReport(db: Db, campaignId: string): Report {
  return report(db, 'campaign_id = ?', [campaignId], { sql: `select count(*) as n from conversations where campaign_id = ?`, args: [campaignId] });
}

/** A half-open range of epoch milliseconds; open ends are unbounded. */
export interface Range {
  from?: number | undefined;
  to?: number | undefined;
}

const rangeBounds = (r: Range): [number, number] => [r.from ?? Number.MIN_SAFE_INTEGER, r.to ?? Number.MAX_SAFE_INTEGER];

/** Every IVR deflection message created in the range (the time the IVR asked for it). */
export function deflectionReport(db: Db, accountId: string, range: Range): Report {
  const [from, to] = rangeBounds(range);
  return report(db, `account_id = ? and source = 'ivr' and created_at >= ? and created_at < ?`, [accountId, from, to], {
    sql: `select count(*) as n from deflections d join conversations c on c.deflection_id = d.id
          where d.account_id = ? and d.created_at >= ? and d.created_at < ?`,
    args: [accountId, from, to],
  });
}

export interface DayCounts {
  /** Days since the epoch (UTC). */
  day: number;
  attempted: number;
  sent: number;
  failed: number;
  delivered: number;
  read: number;
  replied: number;
}

export const DAY_MS = 86_400_000;

/**
 * Per UTC day of creation (campaign accepted, deflection requested): how those messages fared.
 * A cohort, so each day's numbers keep the same meaning as a campaign report.
 */
export function dailyCounts(db: Db, accountId: string, range: Required<Range>, filter: { source?: 'proactive' | 'ivr' | undefined; skill?: string | undefined }): DayCounts[] {
  const conditions = ['account_id = ?', 'created_at >= ?', 'created_at < ?'];
  const args: (string | number)[] = [accountId, range.from, range.to];
  if (filter.source) (conditions.push('source = ?'), args.push(filter.source));
  if (filter.skill) (conditions.push('skill = ?'), args.push(filter.skill));
  return db.$client
    .prepare(
      `select created_at / ${DAY_MS} as day, count(*) as attempted,
         sum(${STAGES.sent}) as sent, sum(${STAGES.failed}) as failed, sum(${STAGES.delivered}) as delivered,
         sum(${STAGES.read}) as read, sum(${STAGES.replied}) as replied
       from messages where ${conditions.join(' and ')} group by day order by day`,
    )
    .all(...args) as DayCounts[];
}

export interface MessageRow {
  messageId: string;
  seq: number;
  consumerId: string;
  status: string;
  errorCode: ErrorCode | null;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  repliedAt: number | null;
  conversationId: string | null;
}

export interface MessageFilter {
  /** API statuses: 'pending' also matches the internal 'sending'. */
  status?: string | undefined;
  errorCode?: ErrorCode | undefined;
}

/** The rows behind a campaign report, in recipient order after `afterSeq`. */
export function campaignMessages(db: Db, campaignId: string, filter: MessageFilter, afterSeq: number, limit: number): MessageRow[] {
  return [...iterateCampaignMessages(db, campaignId, filter, afterSeq, limit)];
}

/**
 * The same rows as an iterator over one statement. The connection is busy until it is exhausted,
 * so callers must drain it synchronously (no await in between): a write on this connection would
 * fail meanwhile.
 */
function iterateCampaignMessages(db: Db, campaignId: string, filter: MessageFilter, afterSeq: number, limit: number): IterableIterator<MessageRow> {
  const conditions = ['campaign_id = ?', 'seq > ?'];
  const args: (string | number)[] = [campaignId, afterSeq];
  if (filter.status === 'pending') conditions.push(`status in ('pending','sending')`);
  else if (filter.status) (conditions.push('status = ?'), args.push(filter.status));
  if (filter.errorCode) (conditions.push('error_code = ?'), args.push(filter.errorCode));
  return db.$client
    .prepare(
      `select id as messageId, seq, consumer_id as consumerId,
         case status when 'sending' then 'pending' else status end as status, error_code as errorCode,
         sent_at as sentAt, coalesce(delivered_at, read_at) as deliveredAt, read_at as readAt, replied_at as repliedAt,
         conversation_id as conversationId
       from messages where ${conditions.join(' and ')} order by seq limit ?`,
    )
    .iterate(...args, limit) as IterableIterator<MessageRow>;
}
