import { and, asc, eq, gt, or } from 'drizzle-orm';
import type { Db } from './client.js';
import { newId } from './ids.js';
import { handoffs } from './schema.js';

export type HandoffRow = typeof handoffs.$inferSelect;
/** The configurable part of a handoff: everything but identity and timestamps. */
export type HandoffValues = Omit<HandoffRow, 'id' | 'accountId' | 'createdAt' | 'updatedAt'>;

/** Thrown when a name is already taken in the account (the UNIQUE index, not a racy pre-read, decides). */
export class DuplicateHandoffName extends Error {
  constructor(readonly handoffName: string) {
    super(`a handoff named '${handoffName}' already exists`);
  }
}

// drizzle wraps driver errors (DrizzleQueryError), so the SQLite code sits somewhere down the cause chain.
function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
  }
  return false;
}

// The only UNIQUE index on handoffs is (account_id, name); the id is a primary key, a different code.
function guardName<T>(name: string | undefined, write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (name !== undefined && isUniqueViolation(err)) throw new DuplicateHandoffName(name);
    throw err;
  }
}

export function createHandoff(db: Db, accountId: string, values: HandoffValues, now = Date.now()): HandoffRow {
  const row: HandoffRow = { ...values, id: newId('hnd'), accountId, createdAt: now, updatedAt: now };
  guardName(values.name, () => db.insert(handoffs).values(row).run());
  return row;
}

/** Also what campaigns and IVR deflections read their defaults from. */
export function getHandoff(db: Db, accountId: string, handoffId: string): HandoffRow | undefined {
  return db
    .select()
    .from(handoffs)
    .where(and(eq(handoffs.accountId, accountId), eq(handoffs.id, handoffId)))
    .get();
}

export type HandoffKey = { createdAt: number; id: string };

/** Oldest first, keyset on (createdAt, id): creation time never changes, unlike a name. */
export function listHandoffs(db: Db, accountId: string, limit: number, after?: HandoffKey): HandoffRow[] {
  const afterKey = after
    ? or(gt(handoffs.createdAt, after.createdAt), and(eq(handoffs.createdAt, after.createdAt), gt(handoffs.id, after.id)))
    : undefined;
  return db
    .select()
    .from(handoffs)
    .where(and(eq(handoffs.accountId, accountId), afterKey))
    .orderBy(asc(handoffs.createdAt), asc(handoffs.id))
    .limit(limit)
    .all();
}

/** Undefined when the account has no such handoff. */
export function updateHandoff(
  db: Db,
  accountId: string,
  handoffId: string,
  changes: Partial<HandoffValues>,
  now = Date.now(),
): HandoffRow | undefined {
  return guardName(changes.name, () =>
    db
      .update(handoffs)
      .set({ ...changes, updatedAt: now })
      .where(and(eq(handoffs.accountId, accountId), eq(handoffs.id, handoffId)))
      .returning()
      .get(),
  );
}

export function deleteHandoff(db: Db, accountId: string, handoffId: string): boolean {
  const res = db
    .delete(handoffs)
    .where(and(eq(handoffs.accountId, accountId), eq(handoffs.id, handoffId)))
    .run();
  return res.changes > 0;
}
