import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from './client.js';
import { conversations } from './schema.js';

export type ConversationRow = typeof conversations.$inferSelect;

/** Consumers among `consumerIds` with an open conversation on any channel. */
export function consumersWithOpenConversation(db: Db, accountId: string, consumerIds: readonly string[]): Set<string> {
  const open = new Set<string>();
  for (let i = 0; i < consumerIds.length; i += 900) {
    const rows = db
      .select({ consumerId: conversations.consumerId })
      .from(conversations)
      .where(
        and(
          eq(conversations.accountId, accountId),
          eq(conversations.status, 'open'),
          inArray(conversations.consumerId, consumerIds.slice(i, i + 900) as string[]),
        ),
      )
      .all();
    for (const r of rows) open.add(r.consumerId);
  }
  return open;
}

export function getConversation(db: Db, accountId: string, conversationId: string): ConversationRow | undefined {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId)))
    .get();
}

/**
 * A conversation another channel (SMS, WhatsApp, the messaging platform) reports: created on first
 * sight, its status kept current afterwards. Returns undefined when the ID belongs to another account.
 */
export function syncConversation(
  db: Db,
  accountId: string,
  conversationId: string,
  s: { consumerId: string; channel: string; status: 'open' | 'closed' },
  now = Date.now(),
): { row: ConversationRow; created: boolean } | undefined {
  return db.transaction((tx) => {
    const existing = tx.select().from(conversations).where(eq(conversations.id, conversationId)).get();
    if (existing && existing.accountId !== accountId) return undefined;
    if (existing) {
      const row = tx
        .update(conversations)
        .set({ status: s.status, channel: s.channel, closedAt: s.status === 'closed' ? (existing.closedAt ?? now) : null })
        .where(eq(conversations.id, conversationId))
        .returning()
        .get();
      return { row, created: false };
    }
    const row = tx
      .insert(conversations)
      .values({
        id: conversationId,
        accountId,
        consumerId: s.consumerId,
        channel: s.channel,
        status: s.status,
        routedBy: 'external',
        createdAt: now,
        closedAt: s.status === 'closed' ? now : null,
      })
      .returning()
      .get();
    return { row, created: true };
  });
}
