import { sdkSupported } from '../../activities/eligibility.js';
import { login, logout, type ConsumerRow } from '../../db/consumers.js';
import { unexpiredNotifications } from '../../db/messages.js';
import { syncConversation } from '../../db/conversations.js';
import { notFound } from '../errors.js';
import { defineRoute } from '../route.js';
import { iso } from '../schemas/common.js';
import { ConversationSync, NotificationList, Session, SessionCreate, SessionDelete, SyncedConversation } from '../schemas/consumers.js';

const appBackEnd = { roles: ['sdk', 'admin'], consumer: true } as const;

const sessionBody = (c: ConsumerRow) => ({
  consumerId: c.consumerId,
  loggedIn: c.loggedIn,
  pushRegistered: c.pushToken !== null,
  platform: c.platform,
  sdkVersion: c.sdkVersion,
  sdkSupported: sdkSupported(c.platform, c.sdkVersion),
  registeredAt: iso(c.firstLoginAt)!,
});

export const consumerRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/accounts/{accountId}/consumers/{consumerId}/sessions',
    summary: 'Login: registers the consumer (first time) and its device and push token',
    tag: 'Consumers',
    access: appBackEnd,
    body: SessionCreate,
    responses: { 200: { description: 'Logged in', schema: Session } },
    handler: ({ body, params, deps }) => ({ status: 200, body: sessionBody(login(deps.db, params.accountId!, params.consumerId!, body)) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/accounts/{accountId}/consumers/{consumerId}/sessions',
    summary: 'Logout, optionally unregistering push',
    tag: 'Consumers',
    access: appBackEnd,
    body: SessionDelete,
    responses: { 200: { description: 'Logged out', schema: Session } },
    handler: ({ body, params, deps }) => {
      const row = logout(deps.db, params.accountId!, params.consumerId!, body.unregisterPush);
      if (!row) throw notFound('consumer');
      return { status: 200, body: sessionBody(row) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/accounts/{accountId}/consumers/{consumerId}/notifications',
    summary: 'The notification center: outbound messages whose lookback has not ended',
    tag: 'Consumers',
    access: appBackEnd,
    responses: { 200: { description: 'Newest first', schema: NotificationList } },
    handler: ({ params, deps }) => ({
      status: 200,
      body: {
        notifications: unexpiredNotifications(deps.db, params.accountId!, params.consumerId!).map((n) => ({
          messageId: n.messageId,
          text: n.text,
          source: n.source,
          ...(n.campaignId ? { campaignId: n.campaignId } : {}),
          ...(n.deflectionId ? { deflectionId: n.deflectionId } : {}),
          skill: n.skill,
          status: n.status,
          sentAt: iso(n.sentAt)!,
          expiresAt: iso(n.expiresAt)!,
        })),
      },
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/v1/accounts/{accountId}/conversations/{conversationId}',
    summary: 'Sync a conversation from another channel (its open/closed state gates proactive sends)',
    tag: 'Conversations',
    access: { roles: ['sdk', 'admin'] },
    body: ConversationSync,
    responses: { 200: { description: 'Updated', schema: SyncedConversation }, 201: { description: 'Created', schema: SyncedConversation } },
    handler: ({ body, params, deps }) => {
      const result = syncConversation(deps.db, params.accountId!, params.conversationId!, body);
      if (!result) throw notFound('conversation');
      const { row, created } = result;
      return { status: created ? 201 : 200, body: { conversationId: row.id, consumerId: row.consumerId, channel: row.channel, status: row.status } };
    },
  }),
];
