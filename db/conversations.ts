import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from './client.js';
import { newId } from './ids.js';
import { conversationMessages, conversations } from './schema.js';

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

/** The consumer's open conversation on any channel, the newest if several were synced. */
export function openConversationOf(db: Db, accountId: string, consumerId: string): ConversationRow | undefined {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.consumerId, consumerId), eq(conversations.status, 'open')))
    .orderBy(desc(conversations.createdAt))
    .get();
}

export interface Routing {
  skill: string;
  routedBy: 'campaign' | 'ivr' | 'default';
  welcomeMessage: 'suppressed' | 'shown';
  messageId: string | null;
  campaignId: string | null;
  deflectionId: string | null;
}

/**
 * Opens a conversation for the consumer unless one is open already (then that one, `created:
 * false`). The check and the insert run in one immediate transaction, so two racing opens for a
 * consumer end with one conversation; `route` runs inside it and picks the skill.
 */
export function openConversation(
  db: Db,
  accountId: string,
  consumerId: string,
  channel: string,
  route: () => Routing,
  now = Date.now(),
): { row: ConversationRow; created: boolean } {
  const run = db.$client.transaction(() => {
    const existing = openConversationOf(db, accountId, consumerId);
    if (existing) return { row: existing, created: false };
    const r = route();
    const row = db
      .insert(conversations)
      .values({ id: newId('conv'), accountId, consumerId, channel, status: 'open', createdAt: now, ...r })
      .returning()
      .get();
    if (r.messageId) db.$client.prepare('update messages set conversation_id = ? where id = ?').run(row.id, r.messageId);
    return { row, created: true };
  });
  return run.immediate();
}

/** Closes an open conversation; closing a closed one changes nothing. */
export function closeConversation(db: Db, accountId: string, conversationId: string, now = Date.now()): ConversationRow | undefined {
  db.update(conversations)
    .set({ status: 'closed', closedAt: now })
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId), eq(conversations.status, 'open')))
    .run();
  return getConversation(db, accountId, conversationId);
}

export type ConversationMessageRow = typeof conversationMessages.$inferSelect;

/** Appends a message; `firstFromConsumer` tells the caller this is the consumer's first word in it. */
export function addConversationMessage(
  db: Db,
  conversationId: string,
  sender: 'consumer' | 'agent',
  text: string,
  now = Date.now(),
): { row: ConversationMessageRow; firstFromConsumer: boolean } {
  return db.$client.transaction(() => {
    const earlier =
      sender === 'consumer' &&
      db
        .select({ id: conversationMessages.id })
        .from(conversationMessages)
        .where(and(eq(conversationMessages.conversationId, conversationId), eq(conversationMessages.sender, 'consumer')))
        .get();
    const row = db.insert(conversationMessages).values({ id: newId('cmsg'), conversationId, sender, text, createdAt: now }).returning().get();
    return { row, firstFromConsumer: sender === 'consumer' && !earlier };
  })();
}
