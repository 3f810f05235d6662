import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Timestamps are epoch milliseconds: cheap to compare in indexed range queries; the API renders ISO.
const ts = (name: string) => integer(name, { mode: 'number' });
const bool = (name: string) => integer(name, { mode: 'boolean' });

export const ROLES = ['admin', 'campaign_manager', 'ivr', 'sdk', 'agent', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  defaultSkill: text('default_skill').notNull().default('default'),
  welcomeMessage: text('welcome_message'),
  createdAt: ts('created_at').notNull(),
});

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull().references(() => accounts.id),
    role: text('role', { enum: ROLES }).notNull(),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: ts('created_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('api_keys_account').on(t.accountId)],
);

export const idpConfigs = sqliteTable('idp_configs', {
  accountId: text('account_id').primaryKey().references(() => accounts.id),
  issuer: text('issuer').notNull(),
  audience: text('audience').notNull(),
  jwksUrl: text('jwks_url'),
  publicKeyPem: text('public_key_pem'),
  updatedAt: ts('updated_at').notNull(),
});

export const PUSH_PROVIDERS = ['inbox', 'webhook'] as const;
export const pushConfigs = sqliteTable('push_configs', {
  accountId: text('account_id').primaryKey().references(() => accounts.id),
  provider: text('provider', { enum: PUSH_PROVIDERS }).notNull(),
  url: text('url'),
  headers: text('headers', { mode: 'json' }).$type<Record<string, string>>(),
  signingSecret: text('signing_secret'),
  messagesPerSecond: integer('messages_per_second'),
  timeoutMs: integer('timeout_ms'),
  updatedAt: ts('updated_at').notNull(),
});

/** A consumer exists here once it has opened a session: registration is "logged in at least once". */
export const consumers = sqliteTable(
  'consumers',
  {
    accountId: text('account_id').notNull().references(() => accounts.id),
    consumerId: text('consumer_id').notNull(),
    loggedIn: bool('logged_in').notNull(),
    pushToken: text('push_token'),
    platform: text('platform', { enum: ['ios', 'android'] }).notNull(),
    sdkVersion: text('sdk_version').notNull(),
    appId: text('app_id').notNull(),
    deviceModel: text('device_model'),
    deviceOs: text('device_os'),
    osVersion: text('os_version'),
    country: text('country'),
    city: text('city'),
    firstLoginAt: ts('first_login_at').notNull(),
    lastLoginAt: ts('last_login_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.consumerId] })],
);

export const CONVERSATION_STATUSES = ['open', 'closed'] as const;
export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull().references(() => accounts.id),
    consumerId: text('consumer_id').notNull(),
    channel: text('channel').notNull(),
    status: text('status', { enum: CONVERSATION_STATUSES }).notNull(),
    skill: text('skill'),
    routedBy: text('routed_by', { enum: ['campaign', 'ivr', 'default', 'external'] }).notNull(),
    welcomeMessage: text('welcome_message', { enum: ['suppressed', 'shown'] }),
    messageId: text('message_id'),
    campaignId: text('campaign_id'),
    deflectionId: text('deflection_id'),
    createdAt: ts('created_at').notNull(),
    closedAt: ts('closed_at'),
  },
  (t) => [
    index('conversations_consumer_status').on(t.accountId, t.consumerId, t.status),
    index('conversations_campaign').on(t.campaignId),
    index('conversations_deflection').on(t.deflectionId),
  ],
);

export const conversationMessages = sqliteTable(
  'conversation_messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id').notNull().references(() => conversations.id),
    sender: text('sender', { enum: ['consumer', 'agent'] }).notNull(),
    text: text('text').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('conversation_messages_conversation').on(t.conversationId, t.createdAt)],
);

export const handoffs = sqliteTable(
  'handoffs',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull().references(() => accounts.id),
    name: text('name').notNull(),
    channels: text('channels', { mode: 'json' }).$type<string[]>().notNull(),
    skill: text('skill').notNull(),
    engagementName: text('engagement_name'),
    messageText: text('message_text').notNull(),
    lookbackSeconds: integer('lookback_seconds').notNull(),
    pushLoggedIn: bool('push_logged_in').notNull(),
    pushLoggedOut: bool('push_logged_out').notNull(),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('handoffs_account_name').on(t.accountId, t.name)],
);

export const CAMPAIGN_STATUSES = ['scheduled', 'dispatching', 'active', 'completed', 'cancelled', 'failed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull().references(() => accounts.id),
    name: text('name').notNull(),
    skill: text('skill').notNull(),
    engagementName: text('engagement_name'),
    handoffId: text('handoff_id'),
    messageText: text('message_text').notNull(),
    lookbackSeconds: integer('lookback_seconds').notNull(),
    pushLoggedIn: bool('push_logged_in').notNull(),
    pushLoggedOut: bool('push_logged_out').notNull(),
    messagesPerSecond: integer('messages_per_second'),
    status: text('status', { enum: CAMPAIGN_STATUSES }).notNull(),
    total: integer('total').notNull(),
    startAt: ts('start_at').notNull(),
    createdAt: ts('created_at').notNull(),
    startedAt: ts('started_at'),
    dispatchedAt: ts('dispatched_at'),
    expiresAt: ts('expires_at'),
    completedAt: ts('completed_at'),
    workflowId: text('workflow_id').notNull(),
  },
  (t) => [index('campaigns_account_created').on(t.accountId, t.createdAt), index('campaigns_account_status').on(t.accountId, t.status)],
);

export const deflections = sqliteTable(
  'deflections',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull().references(() => accounts.id),
    handoffId: text('handoff_id').notNull(),
    consumerId: text('consumer_id').notNull(),
    callId: text('call_id'),
    ivrNumber: text('ivr_number'),
    skill: text('skill').notNull(),
    engagementName: text('engagement_name'),
    handoffName: text('handoff_name').notNull(),
    messageText: text('message_text').notNull(),
    lookbackSeconds: integer('lookback_seconds').notNull(),
    pushLoggedIn: bool('push_logged_in').notNull(),
    pushLoggedOut: bool('push_logged_out').notNull(),
    status: text('status').notNull(),
    errorCode: text('error_code'),
    messageId: text('message_id').notNull(),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
    expiresAt: ts('expires_at'),
    completedAt: ts('completed_at'),
    workflowId: text('workflow_id').notNull(),
  },
  (t) => [uniqueIndex('deflections_call').on(t.accountId, t.callId), index('deflections_account_created').on(t.accountId, t.createdAt)],
);

/**
 * Internal 'sending' marks a message claimed for a provider call whose outcome is not yet recorded:
 * a retry after a crash resends it with the same messageId (the provider's idempotency key); the API
 * shows it as pending.
 */
export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'read', 'replied', 'failed', 'expired', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const ERROR_CODES = [
  'CONSUMER_NOT_REGISTERED',
  'OPEN_CONVERSATION',
  'CONSUMER_LOGGED_OUT',
  'NO_PUSH_TOKEN',
  'SDK_VERSION_UNSUPPORTED',
  'PUSH_REJECTED',
  'PUSH_PROVIDER_ERROR',
  /** Added to the contract's codes: logged in while the push policy excludes logged-in consumers. */
  'CONSUMER_LOGGED_IN',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    source: text('source', { enum: ['proactive', 'ivr'] }).notNull(),
    campaignId: text('campaign_id'),
    deflectionId: text('deflection_id'),
    /** Position in the campaign (0 for a deflection): the dispatch cursor. */
    seq: integer('seq').notNull(),
    consumerId: text('consumer_id').notNull(),
    skill: text('skill').notNull(),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    errorCode: text('error_code', { enum: ERROR_CODES }),
    createdAt: ts('created_at').notNull(),
    expiresAt: ts('expires_at'),
    sentAt: ts('sent_at'),
    deliveredAt: ts('delivered_at'),
    readAt: ts('read_at'),
    tappedAt: ts('tapped_at'),
    repliedAt: ts('replied_at'),
    failedAt: ts('failed_at'),
    conversationId: text('conversation_id'),
  },
  (t) => [
    uniqueIndex('messages_campaign_seq').on(t.campaignId, t.seq),
    index('messages_campaign_status').on(t.campaignId, t.status, t.errorCode),
    index('messages_consumer_sent').on(t.accountId, t.consumerId, t.sentAt),
    index('messages_deflection').on(t.deflectionId),
    index('messages_account_created').on(t.accountId, t.createdAt),
    // Deflection report and analytics by source: a range scan over one source, not the whole account.
    index('messages_account_source_created').on(t.accountId, t.source, t.createdAt),
  ],
);

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    accountId: text('account_id').notNull(),
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    statusCode: integer('status_code').notNull(),
    response: text('response', { mode: 'json' }).notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.scope, t.key] })],
);
