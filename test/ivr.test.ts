import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brandWithSink, loginConsumer, useStackWithSink } from './fixtures.js';
import { eventually, http, limitedApi, type Stack } from './harness.js';
import type { Sink } from './sink.js';

let stack: Stack;
let sink: Sink;

// A high budget for the stack; the limit itself is tested on a second API with the default 3/s.
useStackWithSink({ env: { C2M_LOOKBACK_MIN_SECONDS: '1', C2M_RATE_LIMIT_RPS: '100' } }, (st, si) => {
  stack = st;
  sink = si;
});

type Brand = Awaited<ReturnType<typeof brand>>;
async function brand(lookbackSeconds = 3600) {
  const acct = await brandWithSink(stack, sink.url, ['ivr', 'sdk', 'campaign_manager', 'agent', 'analyst']);
  const h = await http(stack, 'POST', `/v1/accounts/${acct.accountId}/handoffs`, {
    key: acct.keys.campaign_manager,
    body: {
      name: 'Billing IVR',
      channels: ['app'],
      skill: 'billing',
      engagementName: 'ivr-billing',
      message: { text: 'Continue in our app 📱' },
      lookbackSeconds,
      pushPolicy: { loggedIn: true, loggedOut: false },
    },
  });
  assert.equal(h.status, 201, h.text);
  return { ...acct, handoffId: h.body.handoffId as string };
}

const eligibility = (b: Brand, consumerId: string, key = b.keys.ivr, api: { baseUrl: string } = stack) =>
  http(api, 'POST', `/v1/accounts/${b.accountId}/ivr/eligibility`, { key, body: { handoffId: b.handoffId, consumerId } });
const deflect = (b: Brand, consumerId: string, extra: Record<string, unknown> = {}, api: { baseUrl: string } = stack, key = b.keys.ivr) =>
  http(api, 'POST', `/v1/accounts/${b.accountId}/ivr/deflections`, { key, body: { handoffId: b.handoffId, consumerId, ...extra } });
const getDeflection = (b: Brand, id: string) => http(stack, 'GET', `/v1/accounts/${b.accountId}/ivr/deflections/${id}`, { key: b.keys.ivr });
const pushesTo = (accountId: string, consumerId: string) =>
  sink.requests.filter((r) => r.body.accountId === accountId && r.body.consumerId === consumerId);
const deflectionsOf = (accountId: string) =>
  (stack.db.$client.prepare('select count(*) n from deflections where account_id = ?').get(accountId) as { n: number }).n;

describe('IVR eligibility', () => {
  it('names every reason against, and ignores open conversations', async () => {
    const b = await brand();
    const sdk = b.keys.sdk;
    await loginConsumer(stack, b.accountId, sdk, 'u-old', { platform: 'android', sdkVersion: '4.6.0' });
    await loginConsumer(stack, b.accountId, sdk, 'u-open');
    await http(stack, 'PUT', `/v1/accounts/${b.accountId}/conversations/conv-1`, { key: sdk, body: { consumerId: 'u-open', channel: 'app', status: 'open' } });
    await loginConsumer(stack, b.accountId, sdk, 'u-out');
    await http(stack, 'DELETE', `/v1/accounts/${b.accountId}/consumers/u-out/sessions`, { key: sdk, body: { unregisterPush: true } });

    const never = await eligibility(b, 'u-never');
    assert.equal(never.status, 200, never.text);
    assert.deepEqual(never.body, { eligible: false, availableChannels: [], reasons: ['CONSUMER_NOT_REGISTERED'] });

    const old = await eligibility(b, 'u-old');
    assert.equal(old.body.eligible, false);
    assert.deepEqual(old.body.reasons, ['SDK_VERSION_UNSUPPORTED']);

    // the handoff's policy excludes logged-out consumers, and this one also dropped the push token
    const out = await eligibility(b, 'u-out');
    assert.equal(out.body.eligible, false);
    assert.deepEqual([...out.body.reasons].sort(), ['CONSUMER_LOGGED_OUT', 'NO_PUSH_TOKEN']);

    const open = await eligibility(b, 'u-open');
    assert.deepEqual(open.body, { eligible: true, availableChannels: ['app'], reasons: [] });
  });

  it('is for ivr and admin only, and refuses an unknown handoff by field', async () => {
    const b = await brand();
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-1');
    assert.equal((await eligibility(b, 'u-1', b.keys.admin)).status, 200);
    for (const key of [b.keys.sdk, b.keys.campaign_manager, b.keys.agent, b.keys.analyst]) {
      assert.equal((await eligibility(b, 'u-1', key)).status, 403);
      assert.equal((await deflect(b, 'u-1', {}, stack, key)).status, 403);
    }
    const unknown = await http(stack, 'POST', `/v1/accounts/${b.accountId}/ivr/eligibility`, { key: b.keys.ivr, body: { handoffId: 'hnd_nope', consumerId: 'u-1' } });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.errors.map((e: { path: string }) => e.path), ['handoffId']);
    const bad = await http(stack, 'POST', `/v1/accounts/${b.accountId}/ivr/deflections`, { key: b.keys.ivr, body: { consumerId: '', extra: 1 } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path).sort(), ['consumerId', 'extra', 'handoffId']);
    assert.equal(deflectionsOf(b.accountId), 0, 'refused requests leave no deflection');
  });
});

describe('IVR deflection', () => {
  it('pushes once to an eligible consumer, records it, and closes after the lookback', async () => {
    const b = await brand(2);
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-ok');
    const r = await deflect(b, 'u-ok', { callId: 'call-1', ivrNumber: '+15550100', skill: 'vip' });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.status, 'accepted');
    const id = r.body.deflectionId as string;

    const push = await eventually(() => pushesTo(b.accountId, 'u-ok')[0]);
    assert.equal(push.signatureValid, true);
    assert.equal(push.idempotencyKey, push.body.messageId);
    assert.equal(push.body.source, 'ivr');
    assert.equal(push.body.deflectionId, id);
    assert.equal(push.body.skill, 'vip', 'the request overrides the handoff skill');
    assert.equal(push.body.text, 'Continue in our app 📱');
    assert.equal(push.body.pushToken, 'tok-u-ok');

    const sent = await eventually(async () => {
      const d = await getDeflection(b, id);
      return d.body.status === 'sent' && d.body;
    });
    assert.equal(sent.errorCode, null);
    assert.equal(sent.workflowId, `ivr/${b.accountId}/${id}`);
    assert.ok(sent.sentAt && sent.expiresAt && Date.parse(sent.expiresAt) - Date.parse(sent.sentAt) === 2000);

    const done = await eventually(async () => {
      const d = await getDeflection(b, id);
      return d.body.status === 'completed' && d.body;
    }, 15_000);
    assert.ok(done.completedAt);
    assert.equal(pushesTo(b.accountId, 'u-ok').length, 1);

    const wf = await stack.app.temporal.workflow.getHandle(sent.workflowId).describe();
    assert.equal(wf.status.name, 'COMPLETED');
    assert.equal(wf.searchAttributes.C2mSource?.[0], 'ivr');
    assert.equal(wf.searchAttributes.C2mAccountId?.[0], b.accountId);
  });

  it('ten concurrent requests with one callId give one deflection, one workflow and one push', async () => {
    const b = await brand();
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-race');
    const answers = await Promise.all(Array.from({ length: 10 }, () => deflect(b, 'u-race', { callId: 'call-race' })));
    assert.deepEqual(answers.map((a) => a.status), Array(10).fill(202));
    const ids = new Set(answers.map((a) => a.body.deflectionId));
    assert.equal(ids.size, 1);
    await eventually(async () => (await getDeflection(b, [...ids][0])).body.status === 'sent');
    // time for any second workflow or push to show up, were there one
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(pushesTo(b.accountId, 'u-race').length, 1);
    assert.equal(deflectionsOf(b.accountId), 1);
    const wfs = await stack.app.temporal.workflow.count(`C2mAccountId = "${b.accountId}"`);
    assert.equal(wfs.count, 1);
    // a later retry of the same call still answers with the same deflection
    const again = await deflect(b, 'u-race', { callId: 'call-race' });
    assert.equal(again.body.deflectionId, [...ids][0]);
  });

  it('with an open conversation: 202, no push, failed with OPEN_CONVERSATION', async () => {
    const b = await brand();
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-busy');
    await http(stack, 'PUT', `/v1/accounts/${b.accountId}/conversations/conv-wa-9`, {
      key: b.keys.sdk,
      body: { consumerId: 'u-busy', channel: 'whatsapp', status: 'open' },
    });
    const r = await deflect(b, 'u-busy', { callId: 'call-busy' });
    assert.equal(r.status, 202, r.text);
    const d = await eventually(async () => {
      const g = await getDeflection(b, r.body.deflectionId);
      return g.body.status === 'failed' && g.body;
    });
    assert.equal(d.errorCode, 'OPEN_CONVERSATION');
    assert.equal(pushesTo(b.accountId, 'u-busy').length, 0);
    const msg = stack.db.$client.prepare('select status, error_code e from messages where deflection_id = ?').get(d.deflectionId) as { status: string; e: string };
    assert.deepEqual(msg, { status: 'failed', e: 'OPEN_CONVERSATION' });
  });

  it('records why an ineligible consumer got no push', async () => {
    const b = await brand();
    const r = await deflect(b, 'u-stranger');
    assert.equal(r.status, 202);
    const d = await eventually(async () => {
      const g = await getDeflection(b, r.body.deflectionId);
      return g.body.status === 'failed' && g.body;
    });
    assert.equal(d.errorCode, 'CONSUMER_NOT_REGISTERED');
    assert.equal(pushesTo(b.accountId, 'u-stranger').length, 0);
  });

  it('another account cannot read a deflection', async () => {
    const a = await brand();
    const other = await brand();
    await loginConsumer(stack, a.accountId, a.keys.sdk, 'u-a');
    const r = await deflect(a, 'u-a');
    const g = await http(stack, 'GET', `/v1/accounts/${other.accountId}/ivr/deflections/${r.body.deflectionId}`, { key: other.keys.ivr });
    assert.equal(g.status, 404);
  });
});

describe('IVR rate limit (the default 3 per second)', () => {
  it('five deflections in one second: three accepted, two 429 with Retry-After', async () => {
    const b = await brand();
    for (let i = 0; i < 5; i++) await loginConsumer(stack, b.accountId, b.keys.sdk, `u-${i}`);
    const limited = await limitedApi(stack, 3);
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => deflect(b, `u-${i}`, { callId: `call-${i}` }, limited)));
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [202, 202, 202, 429, 429]);
      for (const refused of answers.filter((a) => a.status === 429)) {
        assert.equal(refused.body.code, 'RATE_LIMITED');
        assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      }
      assert.equal(deflectionsOf(b.accountId), 3, 'a refused request leaves no deflection');
    } finally {
      limited.close();
    }
  });

  it('eligibility, deflection and campaign creation share one budget', async () => {
    const b = await brand();
    await loginConsumer(stack, b.accountId, b.keys.sdk, 'u-1');
    const limited = await limitedApi(stack, 3);
    try {
      const campaign = await http(limited, 'POST', `/v1/accounts/${b.accountId}/campaigns`, {
        key: b.keys.campaign_manager,
        body: { campaignName: 'c', handoffId: b.handoffId, consumers: [{ consumerId: 'u-1' }] },
      });
      assert.equal(campaign.status, 202, campaign.text);
      assert.equal((await eligibility(b, 'u-1', b.keys.ivr, limited)).status, 200);
      assert.equal((await deflect(b, 'u-1', {}, limited)).status, 202);
      assert.equal((await eligibility(b, 'u-1', b.keys.ivr, limited)).status, 429);
      // reads are not limited
      assert.equal((await http(limited, 'GET', `/v1/accounts/${b.accountId}/handoffs`, { key: b.keys.ivr })).status, 200);
    } finally {
      limited.close();
    }
  });
});
