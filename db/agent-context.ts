import type { Db } from './client.js';

export interface AgentContextRow {
  conversationId: string;
  channel: string;
  createdAt: number;
  campaignId: string | null;
  deflectionId: string | null;
  campaignName: string | null;
  engagementName: string | null;
  skill: string | null;
  deviceOs: string | null;
  device: string | null;
  country: string | null;
  city: string | null;
}

/**
 * What an agent sees beside the chat, in one read: the conversation, the consumer's device and
 * place, and the campaign or deflection that brought the consumer (a deflection is named by its
 * handoff, as the IVR flow knows it).
 */
export function agentContext(db: Db, accountId: string, conversationId: string): AgentContextRow | undefined {
  return db.$client
    .prepare(
      `select cv.id as conversationId, cv.channel, cv.created_at as createdAt, cv.campaign_id as campaignId, cv.deflection_id as deflectionId,
              coalesce(c.name, d.handoff_name) as campaignName, coalesce(c.engagement_name, d.engagement_name) as engagementName,
              coalesce(c.skill, d.skill) as skill,
              cs.device_os as deviceOs, cs.device_model as device, cs.country, cs.city
       from conversations cv
       left join campaigns c on c.id = cv.campaign_id
       left join deflections d on d.id = cv.deflection_id
       left join consumers cs on cs.account_id = cv.account_id and cs.consumer_id = cv.consumer_id
       where cv.account_id = ? and cv.id = ?`,
    )
    .get(accountId, conversationId) as AgentContextRow | undefined;
}
