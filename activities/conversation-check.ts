import { consumersWithOpenConversation } from '../db/conversations.js';
import type { Db } from '../db/client.js';

/**
 * Who among these consumers has an open conversation on any channel. Behind an interface so an
 * external messaging platform can answer instead of the conversations c2m knows of.
 */
export interface ConversationCheck {
  openConversations(accountId: string, consumerIds: readonly string[]): Promise<Set<string>>;
}

export function localConversationCheck(db: Db): ConversationCheck {
  return { openConversations: async (accountId, ids) => consumersWithOpenConversation(db, accountId, ids) };
}
