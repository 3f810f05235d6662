import type { CampaignRow } from '../../db/campaigns.js';
import type { Counts } from '../../db/messages.js';
import { CAMPAIGN_STATUSES } from '../../db/schema.js';
import type { Config } from '../../worker/config.js';
import { withCode } from '../errors.js';
import { IsoTimestamp, MessageContent, PageQuery, PushPolicy, iso, lookbackSeconds, Label, z } from './common.js';

export const CONSUMER_ID_MAX = 128;

/** Items are checked one by one in the handler: a bad ID fails that consumer, not the request. */
const ConsumerRef = z.unknown().openapi('ConsumerRef', {
  type: 'object',
  properties: { consumerId: { type: 'string', minLength: 1, maxLength: CONSUMER_ID_MAX } },
  required: ['consumerId'],
});

export const campaignCreate = (config: Config) =>
  z
    .strictObject({
      campaignName: Label(),
      skill: Label().optional().describe('Required unless a handoff gives it.'),
      engagementName: Label().optional(),
      handoffId: z.string().min(1).max(64).optional().describe('Defaults for skill, message, lookback, push policy and engagement.'),
      message: MessageContent.optional().describe('Required unless a handoff gives it.'),
      lookbackSeconds: lookbackSeconds(config).optional().describe('Required unless a handoff gives it.'),
      pushPolicy: PushPolicy.optional().describe('Default: the handoff\'s, else both true.'),
      consumers: z
        .array(ConsumerRef)
        .min(1, 'at least one consumer')
        .refine((a) => a.length <= config.maxConsumers, withCode('TOO_MANY_CONSUMERS', `at most ${config.maxConsumers} consumers`)),
      pacing: z.strictObject({ messagesPerSecond: z.number().int().min(1).max(100_000) }).optional(),
      startAt: IsoTimestamp.optional(),
    })
    .openapi('CampaignCreate');

export const FailedConsumer = z.object({ consumerId: z.string(), errorCode: z.enum(['DUPLICATE_CONSUMER', 'INVALID_CONSUMER_ID']) });

export const CampaignAccepted = z
  .object({
    campaignId: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    acceptedConsumers: z.number().int(),
    failedConsumers: z.array(FailedConsumer),
    workflowId: z.string(),
  })
  .openapi('CampaignAccepted');

export const CountsSchema = z
  .object({
    total: z.number().int(),
    pending: z.number().int(),
    sent: z.number().int().describe('Reached the provider: includes delivered, read and replied.'),
    failed: z.number().int(),
    delivered: z.number().int(),
    read: z.number().int(),
    replied: z.number().int(),
    expired: z.number().int(),
    cancelled: z.number().int(),
  })
  .openapi('CampaignCounts');

export const Campaign = z
  .object({
    campaignId: z.string(),
    campaignName: z.string(),
    skill: z.string(),
    engagementName: z.string().nullable(),
    handoffId: z.string().nullable(),
    source: z.literal('proactive'),
    status: z.enum(CAMPAIGN_STATUSES),
    message: z.object({ text: z.string() }),
    lookbackSeconds: z.number().int(),
    pushPolicy: z.object({ loggedIn: z.boolean(), loggedOut: z.boolean() }),
    pacing: z.object({ messagesPerSecond: z.number().int().nullable() }),
    startAt: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    dispatchedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    counts: CountsSchema,
    workflowId: z.string(),
  })
  .openapi('Campaign');

export const CampaignList = z.object({ campaigns: z.array(Campaign), nextCursor: z.string().nullable() }).openapi('CampaignList');

export const CampaignListQuery = PageQuery.extend({ status: z.enum(CAMPAIGN_STATUSES).optional() });

export function campaignBody(row: CampaignRow, counts: Counts): z.infer<typeof Campaign> {
  return {
    campaignId: row.id,
    campaignName: row.name,
    skill: row.skill,
    engagementName: row.engagementName,
    handoffId: row.handoffId,
    source: 'proactive',
    status: row.status,
    message: { text: row.messageText },
    lookbackSeconds: row.lookbackSeconds,
    pushPolicy: { loggedIn: row.pushLoggedIn, loggedOut: row.pushLoggedOut },
    pacing: { messagesPerSecond: row.messagesPerSecond },
    startAt: iso(row.startAt)!,
    createdAt: iso(row.createdAt)!,
    startedAt: iso(row.startedAt),
    dispatchedAt: iso(row.dispatchedAt),
    expiresAt: iso(row.expiresAt),
    completedAt: iso(row.completedAt),
    counts,
    workflowId: row.workflowId,
  };
}
