import { and, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { STATUS_FROM_STAGES } from './receipts.js';
import { deflections, type ErrorCode } from './schema.js';

export type DeflectionRow = typeof deflections.$inferSelect;
export type NewDeflection = typeof deflections.$inferInsert;

/** accepted → sent → completed (lookback over or replied), or failed with an errorCode. */
export type DeflectionStatus = 'accepted' | 'sent' | 'completed' | 'failed';

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT') === true;

/**
 * The deflection and its one outbound message, in one transaction. With a callId the UNIQUE
 * (account, callId) index decides races: the loser gets the winner's row and `created: false`.
 */
export function insertDeflection(db: Db, d: NewDeflection): { row: DeflectionRow; created: boolean } {
  const sqlite = db.$client;
  try {
    sqlite.transaction(() => {
      db.insert(deflections).values(d).run();
      sqlite
        .prepare(
          `insert into messages (id, account_id, source, deflection_id, seq, consumer_id, skill, status, created_at)
           values (?, ?, 'ivr', ?, 0, ?, ?, 'pending', ?)`,
        )
        .run(d.messageId, d.accountId, d.id, d.consumerId, d.skill, d.createdAt);
    })();
    return { row: getDeflection(db, d.accountId, d.id)!, created: true };
  } catch (err) {
    const existing = d.callId && isUniqueViolation(err) ? findByCallId(db, d.accountId, d.callId) : undefined;
    if (existing) return { row: existing, created: false };
    throw err;
  }
}

export function findByCallId(db: Db, accountId: string, callId: string): DeflectionRow | undefined {
  return db
    .select()
    .from(deflections)
    .where(and(eq(deflections.accountId, accountId), eq(deflections.callId, callId)))
    .get();
}

export function getDeflection(db: Db, accountId: string, deflectionId: string): DeflectionRow | undefined {
  return db
    .select()
    .from(deflections)
    .where(and(eq(deflections.accountId, accountId), eq(deflections.id, deflectionId)))
    .get();
}

export function getDeflectionById(db: Db, deflectionId: string): DeflectionRow | undefined {
  return db.select().from(deflections).where(eq(deflections.id, deflectionId)).get();
}

/** Removes a deflection whose workflow could not be started: nothing was accepted. */
export function deleteDeflection(db: Db, deflectionId: string): void {
  const sqlite = db.$client;
  sqlite.transaction(() => {
    sqlite.prepare('delete from messages where deflection_id = ?').run(deflectionId);
    sqlite.prepare('delete from deflections where id = ?').run(deflectionId);
  })();
}

/** Skipped or refused: the message and the deflection record the same reason. */
export function failDeflection(db: Db, d: DeflectionRow, errorCode: ErrorCode, now = Date.now()): void {
  const sqlite = db.$client;
  sqlite.transaction(() => {
    sqlite.prepare(`update messages set status = 'failed', error_code = ?, failed_at = ? where id = ? and status in ('pending','sending')`).run(errorCode, now, d.messageId);
    sqlite.prepare(`update deflections set status = 'failed', error_code = ?, completed_at = ? where id = ? and status = 'accepted'`).run(errorCode, now, d.id);
  })();
}

/** Claims the message for its one provider call; false when it was already resolved. */
export function claimDeflectionMessage(db: Db, d: DeflectionRow): boolean {
  return db.$client.prepare(`update messages set status = 'sending' where id = ? and status in ('pending','sending')`).run(d.messageId).changes > 0;
}

/** `sentAt` is when the push was built: its payload's expiresAt is sentAt + lookback, as stored. */
export function markDeflectionSent(db: Db, d: DeflectionRow, sentAt: number): void {
  const expiresAt = sentAt + d.lookbackSeconds * 1000;
  const sqlite = db.$client;
  sqlite.transaction(() => {
    sqlite.prepare(`update messages set sent_at = ?, expires_at = ?, status = ${STATUS_FROM_STAGES} where id = ? and status = 'sending'`).run(sentAt, expiresAt, d.messageId);
    sqlite.prepare(`update deflections set status = 'sent', sent_at = ?, expires_at = ? where id = ? and status = 'accepted'`).run(sentAt, expiresAt, d.id);
  })();
}

export function completeDeflection(db: Db, deflectionId: string, now = Date.now()): DeflectionRow | undefined {
  const sqlite = db.$client;
  sqlite.transaction(() => {
    sqlite.prepare(`update messages set status = 'expired' where deflection_id = ? and status in ('pending','sending')`).run(deflectionId);
    sqlite.prepare(`update deflections set status = 'completed', completed_at = ? where id = ? and status = 'sent'`).run(now, deflectionId);
  })();
  return getDeflectionById(db, deflectionId);
}
