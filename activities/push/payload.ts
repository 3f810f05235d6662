import type { ConsumerRow } from '../../db/consumers.js';
import type { PushPayload } from './types.js';

export interface Outbound {
  messageId: string;
  accountId: string;
  consumerId: string;
  text: string;
  skill: string;
  expiresAt: number;
  origin: { source: 'proactive'; campaignId: string } | { source: 'ivr'; deflectionId: string };
}

/** The one shape every provider call carries, for campaigns and deflections alike. */
export function pushPayload(m: Outbound, consumer: ConsumerRow): PushPayload {
  return {
    messageId: m.messageId,
    accountId: m.accountId,
    consumerId: m.consumerId,
    pushToken: consumer.pushToken!,
    platform: consumer.platform,
    text: m.text,
    ...m.origin,
    skill: m.skill,
    expiresAt: new Date(m.expiresAt).toISOString(),
  };
}
