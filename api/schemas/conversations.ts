import { IsoTimestamp, z } from './common.js';

export const ConversationOpen = z
  .strictObject({
    channel: z.literal('app').default('app'),
    messageId: z.string().min(1).max(64).optional().describe('The outbound message whose push was tapped, if any: recorded as tapped.'),
  })
  .openapi('ConversationOpen');

export const RoutedConversation = z
  .object({
    conversationId: z.string(),
    skill: z.string().nullable().describe('Null only for a conversation synced from another channel.'),
    routedBy: z.enum(['campaign', 'ivr', 'default', 'external']),
    welcomeMessage: z.enum(['suppressed', 'shown']).nullable(),
    welcomeText: z.string().optional().describe("The account's welcome message, when it is shown."),
    campaignId: z.string().optional(),
    deflectionId: z.string().optional(),
    messageId: z.string().optional().describe('The outbound message the conversation answers.'),
    status: z.enum(['open', 'closed']),
    channel: z.string(),
    createdAt: z.string(),
  })
  .openapi('RoutedConversation');

export const ConversationMessageCreate = z
  .strictObject({ from: z.enum(['consumer', 'agent']), text: z.string().trim().min(1).max(10_000) })
  .openapi('ConversationMessageCreate');

export const ConversationMessage = z
  .object({ messageId: z.string(), conversationId: z.string(), from: z.enum(['consumer', 'agent']), text: z.string(), createdAt: z.string() })
  .openapi('ConversationMessage');

export const AgentContext = z
  .object({
    campaign: z
      .object({
        campaignId: z.string().optional(),
        deflectionId: z.string().optional(),
        campaignName: z.string(),
        engagementName: z.string().nullable(),
        skill: z.string(),
        source: z.enum(['proactive', 'ivr']),
        workflowId: z.string().describe('The campaign or deflection workflow, for the Temporal UI.'),
      })
      .nullable()
      .describe('Null when no outbound message started the conversation.'),
    consumer: z.object({ deviceOs: z.string().nullable(), device: z.string().nullable(), country: z.string().nullable(), city: z.string().nullable() }),
    conversation: z.object({ conversationId: z.string(), startTime: z.string(), channel: z.string() }),
  })
  .openapi('AgentContext');

export const ReceiptEvent = z
  .strictObject({
    type: z.enum(['delivered', 'read', 'tapped']),
    at: IsoTimestamp.optional().describe('When it happened on the device; default now.'),
  })
  .openapi('ReceiptEvent');

export const MessageState = z
  .object({
    messageId: z.string(),
    status: z.string(),
    sentAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    readAt: z.string().nullable(),
    tappedAt: z.string().nullable(),
    repliedAt: z.string().nullable(),
  })
  .openapi('MessageState');
