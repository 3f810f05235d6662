import type { Db } from './client.js';

/** Stages a receipt can reach, in order; a message's status is the highest stage it reached. */
export const RECEIPT_TYPES = ['delivered', 'read', 'tapped'] as const;
export type ReceiptType = (typeof RECEIPT_TYPES)[number];

export interface ReceiptState {
  id: string;
  accountId: string;
  consumerId: string;
  status: string;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  tappedAt: number | null;
  repliedAt: number | null;
}

const SELECT = `select id, account_id as accountId, consumer_id as consumerId, status, sent_at as sentAt, delivered_at as deliveredAt,
  read_at as readAt, tapped_at as tappedAt, replied_at as repliedAt from messages`;

/**
 * The status a sent message shows, from its stage timestamps: so that receipts arriving in any
 * order (or before the send is recorded) end in the same place.
 */
export const STATUS_FROM_STAGES = `case when replied_at is not null then 'replied' when read_at is not null then 'read'
  when delivered_at is not null then 'delivered' else 'sent' end`;

// Each stage keeps the first time it was reported: a repeated receipt changes nothing. A read or a
// tap implies the message reached the device.
const SETS: Record<ReceiptType, string> = {
  delivered: 'delivered_at = coalesce(delivered_at, @at)',
  read: 'delivered_at = coalesce(delivered_at, @at), read_at = coalesce(read_at, @at)',
  tapped: 'delivered_at = coalesce(delivered_at, @at), tapped_at = coalesce(tapped_at, @at)',
};

export function getReceiptState(db: Db, accountId: string, messageId: string): ReceiptState | undefined {
  return db.$client.prepare(`${SELECT} where id = ? and account_id = ?`).get(messageId, accountId) as ReceiptState | undefined;
}

/**
 * Records a receipt on a message that was sent (or whose send is in flight: the device can answer
 * before the provider call is recorded). Undefined when the message was never sent.
 */
export function recordReceipt(db: Db, accountId: string, messageId: string, type: ReceiptType, at: number): ReceiptState | undefined {
  const sqlite = db.$client;
  return sqlite.transaction(() => {
    const changed = sqlite
      .prepare(`update messages set ${SETS[type]} where id = @id and account_id = @accountId and (sent_at is not null or status = 'sending')`)
      .run({ id: messageId, accountId, at }).changes;
    if (!changed) return undefined;
    // A second statement: within one UPDATE, the status expression would see the old timestamps.
    sqlite.prepare(`update messages set status = ${STATUS_FROM_STAGES} where id = ? and status <> 'sending'`).run(messageId);
    return getReceiptState(db, accountId, messageId);
  })();
}

/** The consumer answered: the message is `replied` (once; the first answer's time is kept). */
export function markReplied(db: Db, messageId: string, at: number): boolean {
  return (
    db.$client
      .prepare(`update messages set replied_at = @at, status = 'replied' where id = @id and replied_at is null and sent_at is not null`)
      .run({ id: messageId, at }).changes > 0
  );
}
