import { WorkflowNotFoundError } from '@temporalio/client';
import { getAccount } from '../../db/accounts.js';
import { agentContext } from '../../db/agent-context.js';
import {
  addConversationMessage,
  closeConversation,
  getConversation,
  openConversation,
  type ConversationRow,
  type Routing,
} from '../../db/conversations.js';
import type { Db } from '../../db/client.js';
import { newestInLookback } from '../../db/messages.js';
import { getReceiptState, markReplied, recordReceipt, type ReceiptState } from '../../db/receipts.js';
import { deflectionRepliedSignal, workflowIdFor } from '../../workflows/messages.js';
import { assertActsFor } from '../auth.js';
import type { AppDeps } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { defineRoute } from '../route.js';
import { iso, problem } from '../schemas/common.js';
import {
  AgentContext,
  ConversationMessage,
  ConversationMessageCreate,
  ConversationOpen,
  MessageState,
  ReceiptEvent,
  RoutedConversation,
} from '../schemas/conversations.js';

const TAG = 'Conversations';
const CONVERSATION = '/v1/accounts/{accountId}/conversations/{conversationId}';
const appBackEnd = { roles: ['sdk', 'admin'], consumer: true } as const;

/** Inside a lookback: the newest outbound message's skill, no welcome. Outside: the account's default. */
function routeFor(db: Db, accountId: string, consumerId: string): Routing {
  const m = newestInLookback(db, accountId, consumerId);
  if (m) {
    return {
      skill: m.skill,
      routedBy: m.source === 'ivr' ? 'ivr' : 'campaign',
      welcomeMessage: 'suppressed',
      messageId: m.id,
      campaignId: m.campaignId,
      deflectionId: m.deflectionId,
    };
  }
  const account = getAccount(db, accountId)!;
  return { skill: account.defaultSkill, routedBy: 'default', welcomeMessage: 'shown', messageId: null, campaignId: null, deflectionId: null };
}

function conversationBody(row: ConversationRow, welcomeText: string | null) {
  return {
    conversationId: row.id,
    skill: row.skill,
    routedBy: row.routedBy,
    welcomeMessage: row.welcomeMessage,
    ...(row.welcomeMessage === 'shown' && welcomeText ? { welcomeText } : {}),
    ...(row.campaignId ? { campaignId: row.campaignId } : {}),
    ...(row.deflectionId ? { deflectionId: row.deflectionId } : {}),
    ...(row.messageId ? { messageId: row.messageId } : {}),
    status: row.status,
    channel: row.channel,
    createdAt: iso(row.createdAt)!,
  };
}

const stateBody = (s: ReceiptState) => ({
  messageId: s.id,
  status: s.status === 'sending' ? 'pending' : s.status,
  sentAt: iso(s.sentAt),
  deliveredAt: iso(s.deliveredAt),
  readAt: iso(s.readAt),
  tappedAt: iso(s.tappedAt),
  repliedAt: iso(s.repliedAt),
});

/** Loads a conversation of the account that the caller may act on. */
function ownConversation(deps: AppDeps, params: Record<string, string>, principal: Parameters<typeof assertActsFor>[0]) {
  const row = getConversation(deps.db, params.accountId!, params.conversationId!);
  if (!row) throw notFound('conversation');
  assertActsFor(principal, row.consumerId);
  return row;
}

/**
 * A deflection waits out its lookback only to keep the reply window open: once answered it can
 * close. Campaign workflows are not told (per-recipient events stay out of their histories).
 */
async function tellDeflection(deps: AppDeps, row: ConversationRow): Promise<void> {
  if (!row.deflectionId) return;
  try {
    await deps.temporal.workflow.getHandle(workflowIdFor.deflection(row.accountId, row.deflectionId)).signal(deflectionRepliedSignal);
  } catch (err) {
    // Already closed: nothing to tell. Otherwise the reply is recorded and the lookback ends it anyway.
    if (!(err instanceof WorkflowNotFoundError)) deps.logger.warn({ err, deflectionId: row.deflectionId }, 'could not signal the deflection of a reply');
  }
}

export const conversationRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/accounts/{accountId}/consumers/{consumerId}/conversations',
    summary: "Open the consumer's conversation, routed to the skill of the newest outbound message inside its lookback",
    tag: TAG,
    access: appBackEnd,
    body: ConversationOpen,
    responses: {
      201: { description: 'Opened and routed', schema: RoutedConversation },
      200: { description: 'The consumer already had an open conversation: that one', schema: RoutedConversation },
    },
    handler: ({ body, params, deps }) => {
      const accountId = params.accountId!;
      const consumerId = params.consumerId!;
      if (body.messageId) {
        const tapped = getReceiptState(deps.db, accountId, body.messageId);
        if (!tapped || tapped.consumerId !== consumerId) {
          throw new ApiError('INVALID_REQUEST', 'unknown message', [{ path: 'messageId', message: 'no such outbound message to this consumer' }]);
        }
        recordReceipt(deps.db, accountId, body.messageId, 'tapped', Date.now());
      }
      const { row, created } = openConversation(deps.db, accountId, consumerId, body.channel, () => routeFor(deps.db, accountId, consumerId));
      const welcomeText = getAccount(deps.db, accountId)?.welcomeMessage ?? null;
      return { status: created ? 201 : 200, body: conversationBody(row, welcomeText) };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CONVERSATION}/messages`,
    summary: "Add a message; the consumer's first one marks the outbound message replied",
    tag: TAG,
    access: { roles: ['sdk', 'agent', 'admin'], consumer: true },
    body: ConversationMessageCreate,
    responses: { 201: { description: 'Added', schema: ConversationMessage }, 404: problem('No such conversation'), 409: problem('The conversation is closed') },
    handler: async ({ body, params, principal, deps }) => {
      const conv = ownConversation(deps, params, principal);
      // An agent speaks for the brand, a consumer token for the consumer; the app back end for either.
      const mayWrite = principal.kind === 'consumer' ? body.from === 'consumer' : principal.kind === 'key' && principal.role === 'agent' ? body.from === 'agent' : true;
      if (!mayWrite) throw new ApiError('FORBIDDEN', `this credential may not write as '${body.from}'`);
      if (conv.status !== 'open') throw new ApiError('CONFLICT', 'the conversation is closed');
      const now = Date.now();
      const { row, firstFromConsumer } = addConversationMessage(deps.db, conv.id, body.from, body.text, now);
      if (firstFromConsumer && conv.messageId && markReplied(deps.db, conv.messageId, now)) await tellDeflection(deps, conv);
      return {
        status: 201,
        body: { messageId: row.id, conversationId: conv.id, from: row.sender, text: row.text, createdAt: iso(row.createdAt)! },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: `${CONVERSATION}/close`,
    summary: 'Close the conversation (closing a closed one changes nothing)',
    tag: TAG,
    access: { roles: ['sdk', 'agent', 'admin'], consumer: true },
    responses: { 200: { description: 'Closed', schema: RoutedConversation }, 404: problem('No such conversation') },
    handler: ({ params, principal, deps }) => {
      const conv = ownConversation(deps, params, principal);
      const row = closeConversation(deps.db, conv.accountId, conv.id)!;
      return { status: 200, body: conversationBody(row, null) };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${CONVERSATION}/context`,
    summary: 'What the agent sees beside the chat: the campaign or deflection, the consumer, the conversation',
    tag: TAG,
    access: { roles: ['agent', 'admin'] },
    responses: { 200: { description: 'The context', schema: AgentContext }, 404: problem('No such conversation') },
    handler: ({ params, deps }) => {
      const c = agentContext(deps.db, params.accountId!, params.conversationId!);
      if (!c) throw notFound('conversation');
      const campaign =
        c.campaignName === null
          ? null
          : {
              ...(c.campaignId ? { campaignId: c.campaignId } : {}),
              ...(c.deflectionId ? { deflectionId: c.deflectionId } : {}),
              campaignName: c.campaignName,
              engagementName: c.engagementName,
              skill: c.skill!,
              source: c.campaignId ? ('proactive' as const) : ('ivr' as const),
              workflowId: c.campaignId
                ? workflowIdFor.campaign(params.accountId!, c.campaignId)
                : workflowIdFor.deflection(params.accountId!, c.deflectionId!),
            };
      return {
        status: 200,
        body: {
          campaign,
          consumer: { deviceOs: c.deviceOs, device: c.device, country: c.country, city: c.city },
          conversation: { conversationId: c.conversationId, startTime: iso(c.createdAt)!, channel: c.channel },
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/accounts/{accountId}/messages/{messageId}/events',
    summary: 'A receipt from the device: delivered, read or tapped (idempotent; a stage is never undone)',
    tag: TAG,
    access: appBackEnd,
    body: ReceiptEvent,
    responses: {
      200: { description: "The message's stages after the receipt", schema: MessageState },
      404: problem('No such outbound message'),
      409: problem('The message was never sent'),
    },
    handler: ({ body, params, principal, deps }) => {
      const before = getReceiptState(deps.db, params.accountId!, params.messageId!);
      if (!before) throw notFound('message');
      assertActsFor(principal, before.consumerId);
      const after = recordReceipt(deps.db, before.accountId, before.id, body.type, body.at ? Date.parse(body.at) : Date.now());
      if (!after) throw new ApiError('CONFLICT', `the message is ${before.status}: it was never sent, so it has no receipts`);
      return { status: 200, body: stateBody(after) };
    },
  }),
];
