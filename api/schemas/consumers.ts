import { Label, z } from './common.js';

const text = (max: number) => Label(max);

export const SessionCreate = z
  .strictObject({
    pushToken: z.string().min(1).max(4096).optional(),
    platform: z.enum(['ios', 'android']),
    sdkVersion: z.string().regex(/^\d+(\.\d+){0,3}([-+][\w.]+)?$/, 'a version such as 6.2.0'),
    appId: text(255),
    device: z.strictObject({ model: text(255), os: text(64), osVersion: text(64) }),
    location: z.strictObject({ country: text(128), city: text(128) }).optional(),
  })
  .openapi('SessionCreate');

export const SessionDelete = z
  .strictObject({ unregisterPush: z.boolean().default(false).describe('Also forget the push token: no push until the next login with one.') })
  .openapi('SessionDelete');

export const Session = z
  .object({
    consumerId: z.string(),
    loggedIn: z.boolean(),
    pushRegistered: z.boolean(),
    platform: z.enum(['ios', 'android']),
    sdkVersion: z.string(),
    sdkSupported: z.boolean(),
    registeredAt: z.string(),
  })
  .openapi('Session');

export const Notification = z
  .object({
    messageId: z.string(),
    text: z.string(),
    source: z.enum(['proactive', 'ivr']),
    campaignId: z.string().optional(),
    deflectionId: z.string().optional(),
    skill: z.string(),
    status: z.string(),
    sentAt: z.string(),
    expiresAt: z.string(),
  })
  .openapi('Notification');

export const NotificationList = z.object({ notifications: z.array(Notification) }).openapi('NotificationList');

export const ConversationSync = z
  .strictObject({
    consumerId: z.string().min(1).max(128),
    channel: Label(32).describe('app, sms, whatsapp, …'),
    status: z.enum(['open', 'closed']),
  })
  .openapi('ConversationSync');

export const SyncedConversation = z
  .object({ conversationId: z.string(), consumerId: z.string(), channel: z.string(), status: z.enum(['open', 'closed']) })
  .openapi('SyncedConversation');
