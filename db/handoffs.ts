import { and, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { handoffs } from './schema.js';

export type HandoffRow = typeof handoffs.$inferSelect;

export function getHandoff(db: Db, accountId: string, handoffId: string): HandoffRow | undefined {
  return db
    .select()
    .from(handoffs)
    .where(and(eq(handoffs.accountId, accountId), eq(handoffs.id, handoffId)))
    .get();
}
