import type { SessionInput } from '../db/consumers.js';
import type { Db } from '../db/client.js';
import { after, before } from 'node:test';
import { http, newAccount, startStack, type Stack, type StackOptions } from './harness.js';
import { startSink, type Sink } from './sink.js';

export const iosSession = (over: Partial<SessionInput> = {}): SessionInput => ({
  pushToken: 'tok',
  platform: 'ios',
  sdkVersion: '6.3.0',
  appId: 'com.acme.app',
  device: { model: 'iPhone 15', os: 'iOS', osVersion: '17.4' },
  location: { country: 'US', city: 'Austin' },
  ...over,
});

/** Logs a consumer in through the API, as the brand's app back end would. */
export async function loginConsumer(stack: Stack, accountId: string, key: string, consumerId: string, body: Record<string, unknown> = {}) {
  const session = { ...iosSession({ pushToken: `tok-${consumerId}` }), ...body };
  const r = await http(stack, 'POST', `/v1/accounts/${accountId}/consumers/${consumerId}/sessions`, { key, body: session });
  if (r.status !== 200) throw new Error(`login ${consumerId}: ${r.status} ${r.text}`);
  return r.body;
}

/** Thousands of registered consumers at once, straight into the registry (set-up, not under test). */
export function registerMany(db: Db, accountId: string, ids: string[]): void {
  const now = Date.now();
  const insert = db.$client.prepare(
    `insert into consumers (account_id, consumer_id, logged_in, push_token, platform, sdk_version, app_id, device_model, device_os, os_version, country, city, first_login_at, last_login_at, updated_at)
     values (?, ?, 1, ?, 'ios', '6.3.0', 'com.acme.app', 'iPhone 15', 'iOS', '17.4', 'US', 'Austin', ?, ?, ?)`,
  );
  db.$client.transaction(() => {
    for (const id of ids) insert.run(accountId, id, `tok-${id}`, now, now, now);
  })();
}

export const campaignBody = (consumers: string[], over: Record<string, unknown> = {}) => ({
  campaignName: 'Spring offer',
  skill: 'billing',
  engagementName: 'in-app-spring',
  message: { text: 'Hi 👋 tap to chat' },
  lookbackSeconds: 3600,
  pushPolicy: { loggedIn: true, loggedOut: true },
  consumers: consumers.map((consumerId) => ({ consumerId })),
  ...over,
});

export function messageRows(db: Db, campaignId: string) {
  return db.$client
    .prepare('select id, consumer_id as consumerId, status, error_code as errorCode, sent_at as sentAt from messages where campaign_id = ? order by seq')
    .all(campaignId) as { id: string; consumerId: string; status: string; errorCode: string | null; sentAt: number | null }[];
}

export async function getCampaign(stack: Stack, accountId: string, key: string, campaignId: string) {
  const r = await http(stack, 'GET', `/v1/accounts/${accountId}/campaigns/${campaignId}`, { key });
  if (r.status !== 200) throw new Error(`get campaign: ${r.status} ${r.text}`);
  return r.body;
}

export function assertBalanced(counts: Record<string, number>): boolean {
  return counts.total === counts.pending! + counts.sent! + counts.failed! + counts.expired! + counts.cancelled!;
}

export const SINK_SECRET = 'sink-signing-secret-0123456789';

/** A brand whose push config points at the test sink (plus `config`, e.g. a time-out), with one key per role asked for and admin. */
export async function brandWithSink<R extends string>(
  stack: Pick<Stack, 'baseUrl' | 'rootKey'>,
  sinkUrl: string,
  roles: readonly R[],
  name = 'Acme',
  config: Record<string, unknown> = {},
) {
  const acct = await newAccount(stack, [...roles, 'admin' as const], name);
  const push = await http(stack, 'PUT', `/v1/accounts/${acct.accountId}/push-config`, {
    key: acct.keys.admin,
    body: { provider: 'webhook', url: sinkUrl, signingSecret: SINK_SECRET, ...config },
  });
  if (push.status !== 200) throw new Error(`push config: ${push.status} ${push.text}`);
  return acct;
}

/**
 * The usual file set-up: a signing sink and one stack for the whole file, stopped after it. The
 * callback hands both to the file's variables once they are up.
 */
export function useStackWithSink(options: StackOptions, ready: (stack: Stack, sink: Sink) => void): void {
  let stack: Stack | undefined;
  let sink: Sink | undefined;
  before(async () => {
    sink = await startSink({ secret: SINK_SECRET });
    stack = await startStack(options);
    ready(stack, sink);
  });
  after(async () => {
    await stack?.stop();
    await sink?.close();
  });
}
