import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { providerFor } from '../activities/push/index.js';
import { assertBalanced, brandWithSink, campaignBody, getCampaign, loginConsumer, messageRows, SINK_SECRET } from './fixtures.js';
import { eventually, http, limitedApi, newAccount, startStack, type Stack } from './harness.js';
import { startSink, type Sink } from './sink.js';

let stack: Stack;
let sink: Sink;

before(async () => {
  sink = await startSink({ secret: SINK_SECRET });
  stack = await startStack({
    env: { C2M_LOOKBACK_MIN_SECONDS: '1' },
    // fast retries, so the provider-error case ends in well under a second
    activityDeps: (d) => ({ ...d, pushProviderFor: (c) => providerFor(c, { attempts: 3, initialDelayMs: 20, maxDelayMs: 50 }) }),
  });
});
after(async () => {
  await stack?.stop();
  await sink?.close();
});

const brand = (name = 'Acme') => brandWithSink(stack, sink.url, ['campaign_manager', 'sdk', 'analyst'], name);

async function create(acct: Awaited<ReturnType<typeof brand>>, body: unknown, headers?: Record<string, string>) {
  return http(stack, 'POST', `/v1/accounts/${acct.accountId}/campaigns`, { key: acct.keys.campaign_manager, body, headers });
}

const campaignsOf = (accountId: string) =>
  (stack.db.$client.prepare('select count(*) n from campaigns where account_id = ?').get(accountId) as { n: number }).n;
const workflowsOf = (accountId: string) => stack.app.temporal.workflow.count(`C2mAccountId = "${accountId}"`).then((r) => r.count);

describe('a campaign over a mixed audience', () => {
  it('sends once to each eligible consumer and records why every other was skipped', async () => {
    const acct = await brand();
    const { accountId } = acct;
    const sdk = acct.keys.sdk;
    for (const id of ['u-ok', 'u-open', 'u-410', 'u-500-once', 'u-500-always']) await loginConsumer(stack, accountId, sdk, id);
    await loginConsumer(stack, accountId, sdk, 'u-out');
    await http(stack, 'DELETE', `/v1/accounts/${accountId}/consumers/u-out/sessions`, { key: sdk, body: { unregisterPush: false } });
    await loginConsumer(stack, accountId, sdk, 'u-old-sdk', { platform: 'android', sdkVersion: '4.6.1' });
    await loginConsumer(stack, accountId, sdk, 'u-no-token', { pushToken: undefined });
    const open = await http(stack, 'PUT', `/v1/accounts/${accountId}/conversations/conv-sms-1`, {
      key: sdk,
      body: { consumerId: 'u-open', channel: 'sms', status: 'open' },
    });
    assert.equal(open.status, 201);

    sink.script = (consumerId, attempt) => {
      if (consumerId === 'u-410') return 410;
      if (consumerId === 'u-500-once') return attempt === 0 ? 500 : 200;
      if (consumerId === 'u-500-always') return 500;
      return 200;
    };
    sink.reset();
    const audience = ['u-ok', 'u-never', 'u-open', 'u-out', 'u-old-sdk', 'u-no-token', 'u-410', 'u-500-once', 'u-500-always'];
    const res = await create(acct, campaignBody(audience, { pushPolicy: { loggedIn: true, loggedOut: false } }));
    assert.equal(res.status, 202, res.text);
    assert.equal(res.body.acceptedConsumers, audience.length);
    assert.deepEqual(res.body.failedConsumers, []);
    const { campaignId } = res.body;
    assert.equal(res.body.workflowId, `campaign/${accountId}/${campaignId}`);

    const done = await eventually(async () => {
      const c = await getCampaign(stack, accountId, acct.keys.analyst, campaignId);
      return c.status === 'active' && c;
    });
    const byConsumer = Object.fromEntries(messageRows(stack.db, campaignId).map((m) => [m.consumerId, [m.status, m.errorCode]]));
    assert.deepEqual(byConsumer, {
      'u-ok': ['sent', null],
      'u-never': ['failed', 'CONSUMER_NOT_REGISTERED'],
      'u-open': ['failed', 'OPEN_CONVERSATION'],
      'u-out': ['failed', 'CONSUMER_LOGGED_OUT'],
      'u-old-sdk': ['failed', 'SDK_VERSION_UNSUPPORTED'],
      'u-no-token': ['failed', 'NO_PUSH_TOKEN'],
      'u-410': ['failed', 'PUSH_REJECTED'],
      'u-500-once': ['sent', null],
      'u-500-always': ['failed', 'PUSH_PROVIDER_ERROR'],
    });
    assert.deepEqual(done.counts, { total: 9, pending: 0, sent: 2, failed: 7, delivered: 0, read: 0, replied: 0, expired: 0, cancelled: 0 });
    assert.ok(assertBalanced(done.counts));
    assert.ok(done.startedAt && done.dispatchedAt && done.expiresAt);

    // the sink: signed, keyed by messageId, one POST for a 410, a retry after a 500, three tries on 500s
    const posts = (c: string) => sink.requests.filter((r) => r.body.consumerId === c);
    assert.ok(sink.requests.every((r) => r.signatureValid === true));
    assert.ok(sink.requests.every((r) => r.idempotencyKey === r.body.messageId));
    assert.equal(posts('u-ok').length, 1);
    assert.equal(posts('u-410').length, 1);
    assert.equal(posts('u-500-once').length, 2);
    assert.equal(posts('u-500-always').length, 3);
    for (const skipped of ['u-never', 'u-open', 'u-out', 'u-old-sdk', 'u-no-token']) assert.equal(posts(skipped).length, 0);
    const body = posts('u-ok')[0]!.body;
    assert.deepEqual(Object.keys(body).sort(), ['accountId', 'campaignId', 'consumerId', 'expiresAt', 'messageId', 'platform', 'pushToken', 'skill', 'source', 'text'].sort());
    assert.equal(body.text, 'Hi 👋 tap to chat');
    assert.equal(body.source, 'proactive');
    assert.equal(body.pushToken, 'tok-u-ok');
    assert.equal(body.expiresAt, done.expiresAt);

    // the notification center lists the sent message
    const notes = await http(stack, 'GET', `/v1/accounts/${accountId}/consumers/u-ok/notifications`, { key: sdk });
    assert.equal(notes.body.notifications.length, 1);
    assert.equal(notes.body.notifications[0].campaignId, campaignId);

    // operators find it in Temporal by account, campaign, source and status
    // (the record turns active just before the workflow's next task upserts the attribute)
    const desc = await eventually(async () => {
      const d = await stack.app.temporal.workflow.getHandle(done.workflowId).describe();
      return d.typedSearchAttributes.get({ name: 'C2mStatus', type: 'KEYWORD' } as never) === 'active' && d;
    });
    assert.equal(desc.typedSearchAttributes.get({ name: 'C2mCampaignId', type: 'KEYWORD' } as never), campaignId);
    assert.equal(desc.typedSearchAttributes.get({ name: 'C2mSource', type: 'KEYWORD' } as never), 'proactive');
    assert.equal((await desc.memo)?.campaignName, 'Spring offer');
    assert.equal(await stack.app.temporal.workflow.count(`C2mAccountId = "${accountId}" AND C2mStatus = "active"`).then((r) => r.count), 1);
    sink.script = () => 200;
  });
});

describe('campaign validation', () => {
  it('refuses bad bodies with the contract codes, writing nothing and starting no workflow', async () => {
    const acct = await brand();
    const ids = ['a', 'b'];
    const cases: [unknown, number, string, string[]][] = [
      [campaignBody(ids, { message: { text: '<b>sale</b>' } }), 400, 'UNSUPPORTED_CONTENT', ['message.text']],
      [campaignBody(ids, { message: { text: 'bell\u0007' } }), 400, 'UNSUPPORTED_CONTENT', ['message.text']],
      [campaignBody(Array.from({ length: 100_001 }, (_, i) => `c${i}`)), 400, 'TOO_MANY_CONSUMERS', ['consumers']],
      [campaignBody([]), 400, 'INVALID_REQUEST', ['consumers']],
      [campaignBody(ids, { lookbackSeconds: 2_592_001 }), 400, 'INVALID_REQUEST', ['lookbackSeconds']],
      [campaignBody(ids, { lookbackSeconds: 0 }), 400, 'INVALID_REQUEST', ['lookbackSeconds']],
      [campaignBody(ids, { campaignName: '', color: 'red' }), 400, 'INVALID_REQUEST', ['campaignName', 'color']],
      [{ campaignName: 'x', consumers: [{ consumerId: 'a' }] }, 400, 'INVALID_REQUEST', ['lookbackSeconds', 'message', 'skill']],
      [campaignBody(ids, { handoffId: 'hof_missing' }), 400, 'INVALID_REQUEST', ['handoffId']],
    ];
    for (const [body, status, code, paths] of cases) {
      const r = await create(acct, body);
      assert.equal(r.status, status, `${code}: ${r.text.slice(0, 300)}`);
      assert.equal(r.body.code, code);
      assert.deepEqual(r.body.errors.map((e: { path: string }) => e.path).sort(), paths);
    }
    assert.equal(campaignsOf(acct.accountId), 0);
    assert.equal(await workflowsOf(acct.accountId), 0);
  });

  it('reports duplicate and invalid consumer IDs per consumer and accepts the rest', async () => {
    const acct = await brand();
    const consumers = [{ consumerId: 'a' }, { consumerId: 'a' }, { consumerId: 'x'.repeat(129) }, { consumerId: 7 }, { consumerId: '' }, { consumerId: 'b' }];
    const r = await create(acct, { ...campaignBody([]), consumers });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.acceptedConsumers, 2);
    assert.deepEqual(
      r.body.failedConsumers.map((f: { errorCode: string }) => f.errorCode),
      ['DUPLICATE_CONSUMER', 'INVALID_CONSUMER_ID', 'INVALID_CONSUMER_ID', 'INVALID_CONSUMER_ID'],
    );
    assert.equal(r.body.failedConsumers[0].consumerId, 'a');
    const c = await getCampaign(stack, acct.accountId, acct.keys.analyst, r.body.campaignId);
    assert.equal(c.counts.total, 2);
  });

  it('returns the first answer for a retried create with the same Idempotency-Key', async () => {
    const acct = await brand();
    const headers = { 'Idempotency-Key': 'create-42' };
    const [a, b] = await Promise.all([create(acct, campaignBody(['a']), headers), create(acct, campaignBody(['a']), headers)]);
    const c = await create(acct, campaignBody(['a']), headers);
    assert.equal(a.status, 202);
    assert.equal(b.status, 202);
    assert.equal(a.body.campaignId, b.body.campaignId);
    assert.equal(a.body.campaignId, c.body.campaignId);
    assert.equal(campaignsOf(acct.accountId), 1);
    const other = await create(acct, campaignBody(['a']), { 'Idempotency-Key': 'create-43' });
    assert.notEqual(other.body.campaignId, a.body.campaignId);
  });

  it('answers 404 for another account, 403 for a role that may not create', async () => {
    const acme = await brand('Acme');
    const globex = await brand('Globex');
    const r = await create(acme, campaignBody(['a']));
    const foreign = await http(stack, 'GET', `/v1/accounts/${acme.accountId}/campaigns/${r.body.campaignId}`, { key: globex.keys.admin });
    assert.equal(foreign.status, 404);
    const sideways = await http(stack, 'GET', `/v1/accounts/${globex.accountId}/campaigns/${r.body.campaignId}`, { key: globex.keys.admin });
    assert.equal(sideways.status, 404);
    const analyst = await http(stack, 'POST', `/v1/accounts/${acme.accountId}/campaigns`, { key: acme.keys.analyst, body: campaignBody(['a']) });
    assert.equal(analyst.status, 403);
    const list = await http(stack, 'GET', `/v1/accounts/${acme.accountId}/campaigns?limit=1`, { key: acme.keys.analyst });
    assert.equal(list.status, 200);
    assert.equal(list.body.campaigns.length, 1);
  });
});

describe('rate limit', () => {
  it('gives 429 to the fourth create in a second, with Retry-After, and accepts again after it', async () => {
    const acct = await brand();
    const limited = await limitedApi(stack, 3);
    try {
      const send = () => http(limited, 'POST', `/v1/accounts/${acct.accountId}/campaigns`, { key: acct.keys.campaign_manager, body: campaignBody(['a']) });
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await send());
      assert.deepEqual(answers.map((a) => a.status), [202, 202, 202, 429]);
      const refused = answers[3]!;
      assert.equal(refused.body.code, 'RATE_LIMITED');
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter >= 1);
      // reads are not limited
      const read = await http(limited, 'GET', `/v1/accounts/${acct.accountId}/campaigns`, { key: acct.keys.analyst });
      assert.equal(read.status, 200);
      await new Promise((r) => setTimeout(r, retryAfter * 1000));
      assert.equal((await send()).status, 202);
    } finally {
      limited.close();
    }
  });
});

describe('cancel, lookback end, schedule', () => {
  it('cancel mid-dispatch: nothing is sent after the acknowledgement, the rest are cancelled', async () => {
    const acct = await brand();
    const ids = Array.from({ length: 200 }, (_, i) => `c-${i}`);
    for (const id of ids) await loginConsumer(stack, acct.accountId, acct.keys.sdk, id);
    sink.reset();
    const r = await create(acct, campaignBody(ids, { pacing: { messagesPerSecond: 40 } }));
    const { campaignId } = r.body;
    await eventually(() => sink.requests.filter((q) => q.body.campaignId === campaignId).length >= 20);
    const cancel = await http(stack, 'POST', `/v1/accounts/${acct.accountId}/campaigns/${campaignId}/cancel`, { key: acct.keys.campaign_manager });
    assert.equal(cancel.status, 200, cancel.text);
    assert.equal(cancel.body.status, 'cancelled');
    const atAck = sink.requests.filter((q) => q.body.campaignId === campaignId).length;
    await new Promise((res) => setTimeout(res, 1500));
    assert.equal(sink.requests.filter((q) => q.body.campaignId === campaignId).length, atAck, 'no POST after the cancel was acknowledged');
    const c = await getCampaign(stack, acct.accountId, acct.keys.analyst, campaignId);
    assert.equal(c.counts.pending, 0);
    assert.equal(c.counts.sent, atAck);
    assert.equal(c.counts.cancelled, 200 - atAck);
    assert.ok(c.counts.cancelled > 0);
    assert.ok(assertBalanced(c.counts));
    const again = await http(stack, 'POST', `/v1/accounts/${acct.accountId}/campaigns/${campaignId}/cancel`, { key: acct.keys.campaign_manager });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'CONFLICT');
  });

  it('at the lookback end unsent recipients expire, the campaign completes and notifications are gone', async () => {
    const acct = await brand();
    const ids = Array.from({ length: 30 }, (_, i) => `l-${i}`);
    for (const id of ids) await loginConsumer(stack, acct.accountId, acct.keys.sdk, id);
    // 5 per second against a 2-second lookback: about ten are sent, the rest cannot be
    const r = await create(acct, campaignBody(ids, { lookbackSeconds: 2, pacing: { messagesPerSecond: 5 } }));
    const { campaignId } = r.body;
    const during = await eventually(async () => {
      const n = await http(stack, 'GET', `/v1/accounts/${acct.accountId}/consumers/l-0/notifications`, { key: acct.keys.sdk });
      return n.body.notifications.length === 1 && n;
    }, 5000, 50);
    assert.equal(during.body.notifications[0].campaignId, campaignId);
    const c = await eventually(async () => {
      const got = await getCampaign(stack, acct.accountId, acct.keys.analyst, campaignId);
      return got.status === 'completed' && got;
    }, 20_000, 200);
    assert.ok(c.counts.sent > 0 && c.counts.expired > 0, JSON.stringify(c.counts));
    assert.equal(c.counts.sent + c.counts.expired, 30);
    assert.ok(assertBalanced(c.counts));
    assert.ok(c.completedAt);
    const afterEnd = await http(stack, 'GET', `/v1/accounts/${acct.accountId}/consumers/l-0/notifications`, { key: acct.keys.sdk });
    assert.deepEqual(afterEnd.body.notifications, []);
  });

  it('waits for startAt, and a scheduled campaign can be cancelled before anything is sent', async () => {
    const acct = await brand();
    await loginConsumer(stack, acct.accountId, acct.keys.sdk, 's-1');
    const startAt = new Date(Date.now() + 3_600_000).toISOString();
    const r = await create(acct, campaignBody(['s-1'], { startAt }));
    await new Promise((res) => setTimeout(res, 500));
    const c = await getCampaign(stack, acct.accountId, acct.keys.analyst, r.body.campaignId);
    assert.equal(c.status, 'scheduled');
    assert.equal(c.startAt, startAt);
    const cancel = await http(stack, 'POST', `/v1/accounts/${acct.accountId}/campaigns/${r.body.campaignId}/cancel`, { key: acct.keys.admin });
    assert.equal(cancel.status, 200);
    assert.deepEqual([cancel.body.status, cancel.body.counts.cancelled, cancel.body.counts.sent], ['cancelled', 1, 0]);
    await stack.app.temporal.workflow.getHandle(c.workflowId).result();
  });
});
