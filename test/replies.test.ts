import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { brandWithSink, campaignBody, getCampaign, loginConsumer, messageRows, useStackWithSink } from './fixtures.js';
import { eventually, http, newAccount, type Stack } from './harness.js';
import type { Sink } from './sink.js';

let stack: Stack;
let sink: Sink;

useStackWithSink({ env: { C2M_LOOKBACK_MIN_SECONDS: '1', C2M_RATE_LIMIT_RPS: '100' } }, (st, si) => {
  stack = st;
  sink = si;
});

type Brand = Awaited<ReturnType<typeof brand>>;
const brand = () => brandWithSink(stack, sink.url, ['campaign_manager', 'sdk', 'agent', 'analyst', 'ivr']);

/** Starts a campaign to `consumers` and waits until every one of them was sent the message. */
async function sentCampaign(b: Brand, consumers: string[], over: Record<string, unknown> = {}) {
  const r = await http(stack, 'POST', `/v1/accounts/${b.accountId}/campaigns`, { key: b.keys.campaign_manager, body: campaignBody(consumers, over) });
  assert.equal(r.status, 202, r.text);
  const campaignId = r.body.campaignId as string;
  await eventually(async () => (await getCampaign(stack, b.accountId, b.keys.analyst, campaignId)).counts.sent === consumers.length);
  return campaignId;
}

const open = (b: Brand, consumerId: string, body: Record<string, unknown> = { channel: 'app' }, key = b.keys.sdk) =>
  http(stack, 'POST', `/v1/accounts/${b.accountId}/consumers/${encodeURIComponent(consumerId)}/conversations`, { key, body });
const say = (b: Brand, conversationId: string, from: 'consumer' | 'agent', text: string, key = from === 'agent' ? b.keys.agent : b.keys.sdk) =>
  http(stack, 'POST', `/v1/accounts/${b.accountId}/conversations/${conversationId}/messages`, { key, body: { from, text } });
const close = (b: Brand, conversationId: string) => http(stack, 'POST', `/v1/accounts/${b.accountId}/conversations/${conversationId}/close`, { key: b.keys.agent });
const context = (b: Brand, conversationId: string) => http(stack, 'GET', `/v1/accounts/${b.accountId}/conversations/${conversationId}/context`, { key: b.keys.agent });
const receipt = (b: Brand, messageId: string, type: string, key = b.keys.sdk, at?: string) =>
  http(stack, 'POST', `/v1/accounts/${b.accountId}/messages/${messageId}/events`, { key, body: { type, ...(at ? { at } : {}) } });

describe('conversation routing', () => {
  it('inside the lookback: campaign skill, welcome suppressed, campaign in the agent context; after it: the default skill', async () => {
    const b = await brand();
    const settings = await http(stack, 'PATCH', `/v1/accounts/${b.accountId}/settings`, {
      key: b.keys.admin,
      body: { defaultSkill: 'general', welcomeMessage: 'Welcome! How can we help? 🙂' },
    });
    assert.equal(settings.status, 200, settings.text);
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-1', { location: { country: 'FR', city: 'Lyon' } });
    const campaignId = await sentCampaign(b, ['u-1'], { lookbackSeconds: 3, skill: 'billing', campaignName: 'Spring offer', engagementName: 'in-app-spring' });
    const [msg] = messageRows(stack.db, campaignId);

    const first = await open(b, 'u-1', { channel: 'app', messageId: msg!.id });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.skill, 'billing');
    assert.equal(first.body.routedBy, 'campaign');
    assert.equal(first.body.welcomeMessage, 'suppressed');
    assert.equal(first.body.campaignId, campaignId);
    assert.equal(first.body.welcomeText, undefined);

    const again = await open(b, 'u-1');
    assert.equal(again.status, 200, 'an open conversation is returned as it is');
    assert.equal(again.body.conversationId, first.body.conversationId);

    const ctx = await context(b, first.body.conversationId);
    assert.equal(ctx.status, 200, ctx.text);
    assert.deepEqual(ctx.body.campaign, { campaignId, campaignName: 'Spring offer', engagementName: 'in-app-spring', skill: 'billing', source: 'proactive', workflowId: `campaign/${b.accountId}/${campaignId}` });
    assert.deepEqual(ctx.body.consumer, { deviceOs: 'iOS', device: 'iPhone 15', country: 'FR', city: 'Lyon' });
    assert.equal(ctx.body.conversation.conversationId, first.body.conversationId);
    assert.equal(ctx.body.conversation.channel, 'app');
    assert.ok(Date.parse(ctx.body.conversation.startTime) > 0);

    // the tap on the push was recorded from the messageId
    const tapped = stack.db.$client.prepare('select tapped_at t, delivered_at d, conversation_id c from messages where id = ?').get(msg!.id) as Record<string, unknown>;
    assert.ok(tapped.t && tapped.d);
    assert.equal(tapped.c, first.body.conversationId);

    assert.equal((await close(b, first.body.conversationId)).body.status, 'closed');
    const c = await getCampaign(stack, b.accountId, b.keys.analyst, campaignId);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(c.expiresAt) - Date.now() + 100)));

    const later = await open(b, 'u-1');
    assert.equal(later.status, 201, later.text);
    assert.notEqual(later.body.conversationId, first.body.conversationId);
    assert.equal(later.body.skill, 'general');
    assert.equal(later.body.routedBy, 'default');
    assert.equal(later.body.welcomeMessage, 'shown');
    assert.equal(later.body.welcomeText, 'Welcome! How can we help? 🙂');
    assert.equal(later.body.campaignId, undefined);
    assert.equal((await context(b, later.body.conversationId)).body.campaign, null);
  });

  it('two outbound messages from different campaigns: the newest wins', async () => {
    const b = await brand();
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-2');
    await sentCampaign(b, ['u-2'], { skill: 'billing', campaignName: 'Old' });
    const newer = await sentCampaign(b, ['u-2'], { skill: 'sales', campaignName: 'New' });
    const r = await open(b, 'u-2');
    assert.equal(r.status, 201);
    assert.equal(r.body.skill, 'sales');
    assert.equal(r.body.campaignId, newer);
    assert.equal((await context(b, r.body.conversationId)).body.campaign.campaignName, 'New');
  });

  it('racing opens for one consumer end with one conversation', async () => {
    const b = await brand();
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-race');
    const answers = await Promise.all(Array.from({ length: 8 }, () => open(b, 'u-race')));
    assert.equal(new Set(answers.map((a) => a.body.conversationId)).size, 1);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
  });

  it('an open conversation stops the next campaign for that consumer; closing it lets the one after through', async () => {
    const b = await brand();
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-3');
    const conv = await open(b, 'u-3');
    const r = await http(stack, 'POST', `/v1/accounts/${b.accountId}/campaigns`, { key: b.keys.campaign_manager, body: campaignBody(['u-3']) });
    await eventually(async () => (await getCampaign(stack, b.accountId, b.keys.analyst, r.body.campaignId)).counts.failed === 1);
    assert.equal(messageRows(stack.db, r.body.campaignId)[0]!.errorCode, 'OPEN_CONVERSATION');
    await close(b, conv.body.conversationId);
    await sentCampaign(b, ['u-3']);
  });

  it('refuses bad input by field, and other accounts see nothing', async () => {
    const b = await brand();
    const other = await brand();
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-4');
    const bad = await open(b, 'u-4', { channel: 'sms', extra: true });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path).sort(), ['channel', 'extra']);
    const unknownMsg = await open(b, 'u-4', { channel: 'app', messageId: 'msg_nope' });
    assert.equal(unknownMsg.status, 400);
    assert.deepEqual(unknownMsg.body.errors.map((e: { path: string }) => e.path), ['messageId']);
    const conv = await open(b, 'u-4');
    assert.equal((await context(other, conv.body.conversationId)).status, 404);
    assert.equal((await say(other, conv.body.conversationId, 'agent', 'hi')).status, 404);
    assert.equal((await http(stack, 'GET', `/v1/accounts/${b.accountId}/conversations/${conv.body.conversationId}/context`, { key: b.keys.sdk })).status, 403);
    assert.equal((await say(b, conv.body.conversationId, 'consumer', 'hi', b.keys.agent)).status, 403, 'an agent does not speak for the consumer');
    await close(b, conv.body.conversationId);
    assert.equal((await say(b, conv.body.conversationId, 'consumer', 'hello?')).status, 409);
  });
});

describe('receipts and replies', () => {
  it('read before delivered leaves the message read and delivered; repeating changes nothing', async () => {
    const b = await brand();
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-r');
    const campaignId = await sentCampaign(b, ['u-r']);
    const [msg] = messageRows(stack.db, campaignId);
    const readAt = '2026-01-01T10:00:05.000Z';
    const read = await receipt(b, msg!.id, 'read', b.keys.sdk, readAt);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.status, 'read');
    assert.equal(read.body.readAt, readAt);
    assert.equal(read.body.deliveredAt, readAt, 'a read implies delivered');
    const delivered = await receipt(b, msg!.id, 'delivered', b.keys.sdk, '2026-01-01T10:00:01.000Z');
    assert.deepEqual(delivered.body, read.body);
    assert.deepEqual((await receipt(b, msg!.id, 'read')).body, read.body);
    const counts = (await getCampaign(stack, b.accountId, b.keys.analyst, campaignId)).counts;
    assert.equal(counts.sent, 1);
    assert.equal(counts.delivered, 1);
    assert.equal(counts.read, 1);

    const bad = await receipt(b, msg!.id, 'opened');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path), ['type']);
    const other = await brand();
    assert.equal((await receipt(other, msg!.id, 'read')).status, 404);
  });

  it('a receipt for a message that was never sent is a conflict', async () => {
    const b = await brand();
    const r = await http(stack, 'POST', `/v1/accounts/${b.accountId}/campaigns`, { key: b.keys.campaign_manager, body: campaignBody(['u-never']) });
    await eventually(async () => (await getCampaign(stack, b.accountId, b.keys.analyst, r.body.campaignId)).counts.failed === 1);
    const [msg] = messageRows(stack.db, r.body.campaignId);
    assert.equal((await receipt(b, msg!.id, 'delivered')).status, 409);
  });

  it("the consumer's first message marks the outbound message replied, once", async () => {
    const b = await brand();
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-5');
    const campaignId = await sentCampaign(b, ['u-5']);
    const conv = await open(b, 'u-5');
    assert.equal((await say(b, conv.body.conversationId, 'agent', 'Hello from billing')).status, 201);
    assert.equal((await getCampaign(stack, b.accountId, b.keys.analyst, campaignId)).counts.replied, 0, 'an agent message is not a reply');
    const first = await say(b, conv.body.conversationId, 'consumer', 'Yes please');
    assert.equal(first.status, 201, first.text);
    const [row] = messageRows(stack.db, campaignId);
    assert.equal(row!.status, 'replied');
    const repliedAt = stack.db.$client.prepare('select replied_at r from messages where id = ?').get(row!.id) as { r: number };
    await say(b, conv.body.conversationId, 'consumer', 'Still there?');
    assert.deepEqual(stack.db.$client.prepare('select replied_at r from messages where id = ?').get(row!.id), repliedAt);
    const c = await getCampaign(stack, b.accountId, b.keys.analyst, campaignId);
    assert.equal(c.counts.replied, 1);
    assert.equal(c.counts.sent, 1);
  });

  it('a reply to an IVR deflection closes its workflow early', async () => {
    const b = await brand();
    const h = await http(stack, 'POST', `/v1/accounts/${b.accountId}/handoffs`, {
      key: b.keys.campaign_manager,
      body: { name: 'IVR', channels: ['app'], skill: 'support', engagementName: 'ivr-main', message: { text: 'Continue in the app' }, lookbackSeconds: 86_400, pushPolicy: { loggedIn: true, loggedOut: true } },
    });
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-ivr');
    const d = await http(stack, 'POST', `/v1/accounts/${b.accountId}/ivr/deflections`, { key: b.keys.ivr, body: { handoffId: h.body.handoffId, consumerId: 'u-ivr' } });
    const deflectionId = d.body.deflectionId as string;
    const get = () => http(stack, 'GET', `/v1/accounts/${b.accountId}/ivr/deflections/${deflectionId}`, { key: b.keys.ivr });
    await eventually(async () => (await get()).body.status === 'sent');
    const conv = await open(b, 'u-ivr');
    assert.equal(conv.body.routedBy, 'ivr');
    assert.equal(conv.body.skill, 'support');
    assert.equal(conv.body.deflectionId, deflectionId);
    assert.deepEqual((await context(b, conv.body.conversationId)).body.campaign, {
      deflectionId,
      campaignName: 'IVR',
      engagementName: 'ivr-main',
      skill: 'support',
      source: 'ivr',
      workflowId: `ivr/${b.accountId}/${deflectionId}`,
    });
    await say(b, conv.body.conversationId, 'consumer', 'hi');
    const done = await eventually(async () => {
      const g = await get();
      return g.body.status === 'completed' && g.body;
    });
    assert.ok(Date.parse(done.completedAt) < Date.parse(done.expiresAt), 'closed before its lookback ended');
    const wf = await stack.app.temporal.workflow.getHandle(done.workflowId).describe();
    assert.equal(wf.status.name, 'COMPLETED');
    const msg = stack.db.$client.prepare('select status from messages where deflection_id = ?').get(deflectionId) as { status: string };
    assert.equal(msg.status, 'replied');
  });
});

describe('consumer JWT', () => {
  const ISSUER = 'https://idp.acme.test';
  const AUDIENCE = 'c2m-acme';
  let keys: { privateKey: CryptoKey; publicKey: CryptoKey };
  let stranger: { privateKey: CryptoKey; publicKey: CryptoKey };
  let jwks: Server;
  let jwksUrl: string;

  before(async () => {
    keys = await generateKeyPair('ES256');
    stranger = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256' };
    jwks = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  after(() => jwks?.close());

  const token = (sub: string, o: { key?: CryptoKey; aud?: string; exp?: number | string } = {}) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(o.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(o.exp ?? '5m')
      .sign(o.key ?? keys.privateKey);
  const session = (accountId: string, consumerId: string, key: string) =>
    http(stack, 'POST', `/v1/accounts/${accountId}/consumers/${consumerId}/sessions`, {
      key,
      body: { platform: 'ios', sdkVersion: '6.3.0', appId: 'com.acme.app', device: { model: 'iPhone 15', os: 'iOS', osVersion: '17.4' }, pushToken: 'tok' },
    });

  for (const variant of ['publicKeyPem', 'jwksUrl'] as const) {
    it(`with ${variant}: the token acts for its subject only; expired, badly signed or wrong-audience tokens are 401`, async () => {
      const b = await brand();
      const idp = await http(stack, 'PUT', `/v1/accounts/${b.accountId}/idp`, {
        key: b.keys.admin,
        body: { issuer: ISSUER, audience: AUDIENCE, ...(variant === 'jwksUrl' ? { jwksUrl } : { publicKeyPem: await exportSPKI(keys.publicKey) }) },
      });
      assert.equal(idp.status, 200, idp.text);

      const u1 = await token('u-1');
      assert.equal((await session(b.accountId, 'u-1', u1)).status, 200);
      const own = await http(stack, 'GET', `/v1/accounts/${b.accountId}/consumers/u-1/notifications`, { key: u1 });
      assert.equal(own.status, 200);
      const foreign = await session(b.accountId, 'u-2', u1);
      assert.equal(foreign.status, 403);
      assert.equal(foreign.body.code, 'FORBIDDEN');

      for (const bad of [await token('u-1', { exp: Math.floor(Date.now() / 1000) - 3600 }), await token('u-1', { key: stranger.privateKey }), await token('u-1', { aud: 'someone-else' }), 'not.a.jwt']) {
        const r = await session(b.accountId, 'u-1', bad);
        assert.equal(r.status, 401, r.text);
        assert.equal(r.body.code, 'UNAUTHENTICATED');
      }

      // a token opens only its own conversations and speaks only as the consumer
      const conv = await open(b, 'u-1', { channel: 'app' }, u1);
      assert.equal(conv.status, 201, conv.text);
      assert.equal((await say(b, conv.body.conversationId, 'consumer', 'hi', u1)).status, 201);
      assert.equal((await say(b, conv.body.conversationId, 'agent', 'hi', u1)).status, 403);
      await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-2');
      const conv2 = await open(b, 'u-2');
      assert.equal((await say(b, conv2.body.conversationId, 'consumer', 'hi', u1)).status, 403);
      // and never reaches brand endpoints
      assert.equal((await http(stack, 'GET', `/v1/accounts/${b.accountId}/campaigns`, { key: u1 })).status, 401);
    });
  }

  it('an account without an IDP refuses consumer tokens; a bad IDP config is refused by field', async () => {
    const b = await brand();
    const r = await session(b.accountId, 'u-1', await token('u-1'));
    assert.equal(r.status, 401);
    const bad = await http(stack, 'PUT', `/v1/accounts/${b.accountId}/idp`, {
      key: b.keys.admin,
      body: { issuer: '', audience: AUDIENCE, publicKeyPem: '-----BEGIN PRIVATE KEY-----\nxyz\n-----END PRIVATE KEY-----' },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path).sort(), ['issuer', 'publicKeyPem']);
    const neither = await http(stack, 'PUT', `/v1/accounts/${b.accountId}/idp`, { key: b.keys.admin, body: { issuer: ISSUER, audience: AUDIENCE } });
    assert.equal(neither.status, 400);
    assert.equal((await http(stack, 'PUT', `/v1/accounts/${b.accountId}/idp`, { key: b.keys.campaign_manager, body: { issuer: ISSUER, audience: AUDIENCE, jwksUrl } })).status, 403);
    assert.equal((await http(stack, 'GET', `/v1/accounts/${b.accountId}/idp`, { key: b.keys.admin })).status, 404);
    const other = await newAccount(stack, ['admin']);
    assert.equal((await http(stack, 'PATCH', `/v1/accounts/${b.accountId}/settings`, { key: other.keys.admin, body: { defaultSkill: 'x' } })).status, 404);
  });
});
