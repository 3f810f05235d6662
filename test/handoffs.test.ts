import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, newAccount, startStack, type Stack } from './harness.js';

// A non-default minimum, so a passing bound check proves the bound comes from the configuration.
const LOOKBACK_MIN = 7200;

let stack: Stack;
before(async () => {
  stack = await startStack({ worker: false, env: { C2M_LOOKBACK_MIN_SECONDS: String(LOOKBACK_MIN) } });
});
after(() => stack?.stop());

let seq = 0;
const body = (overrides: Record<string, unknown> = {}) => ({
  name: `Billing ${++seq}`,
  channels: ['app'],
  skill: 'billing',
  message: { text: 'Tap to chat with us 💬' },
  lookbackSeconds: 86_400,
  pushPolicy: { loggedIn: true, loggedOut: false },
  ...overrides,
});

const collection = (accountId: string) => `/v1/accounts/${accountId}/handoffs`;
const rowCount = (accountId: string) =>
  (stack.db.$client.prepare('select count(*) n from handoffs where account_id = ?').get(accountId) as { n: number }).n;
const paths = (r: { body: { errors: { path: string }[] } }) => r.body.errors.map((e) => e.path).sort();

async function create(accountId: string, key: string, overrides: Record<string, unknown> = {}) {
  return http(stack, 'POST', collection(accountId), { key, body: body(overrides) });
}

/** Posts a body that must be refused with `status`/`code`, and checks that nothing was written. */
async function refused(accountId: string, key: string, overrides: Record<string, unknown>, status: number, code: string) {
  const before = rowCount(accountId);
  const r = await create(accountId, key, overrides);
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.code, code, r.text);
  assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(rowCount(accountId), before, 'a rejected body writes no row');
  return r;
}

describe('handoff roles', () => {
  it('admin and campaign_manager write, ivr only reads, sdk/agent/analyst get 403', async () => {
    const { accountId, keys } = await newAccount(stack, ['admin', 'campaign_manager', 'ivr', 'sdk', 'agent', 'analyst']);
    const writers = [keys.admin, keys.campaign_manager];
    const others = [keys.sdk, keys.agent, keys.analyst];
    const ids: string[] = [];
    for (const key of writers) {
      const r = await create(accountId, key);
      assert.equal(r.status, 201, r.text);
      ids.push(r.body.handoffId);
    }
    for (const key of [keys.ivr, ...others]) {
      const r = await create(accountId, key);
      assert.equal(r.status, 403, r.text);
      assert.equal(r.body.code, 'FORBIDDEN');
    }
    assert.equal(rowCount(accountId), 2);

    for (const key of [...writers, keys.ivr]) {
      assert.equal((await http(stack, 'GET', `${collection(accountId)}/${ids[0]}`, { key })).status, 200);
      const list = await http(stack, 'GET', collection(accountId), { key });
      assert.equal(list.status, 200);
      assert.equal(list.body.handoffs.length, 2);
    }
    for (const key of others) {
      assert.equal((await http(stack, 'GET', `${collection(accountId)}/${ids[0]}`, { key })).status, 403);
      assert.equal((await http(stack, 'GET', collection(accountId), { key })).status, 403);
    }

    for (const key of [keys.ivr, ...others]) {
      const patch = await http(stack, 'PATCH', `${collection(accountId)}/${ids[0]}`, { key, body: { skill: 'x' } });
      assert.equal(patch.status, 403);
      assert.equal((await http(stack, 'DELETE', `${collection(accountId)}/${ids[0]}`, { key })).status, 403);
    }
    for (const [i, key] of writers.entries()) {
      const patch = await http(stack, 'PATCH', `${collection(accountId)}/${ids[i]}`, { key, body: { skill: `skill-${i}` } });
      assert.equal(patch.status, 200, patch.text);
      assert.equal(patch.body.skill, `skill-${i}`);
      assert.equal((await http(stack, 'DELETE', `${collection(accountId)}/${ids[i]}`, { key })).status, 204);
    }
    assert.equal(rowCount(accountId), 0);
  });

  it("answers 404 for another account's handoffs, whichever way they are addressed", async () => {
    const acme = await newAccount(stack, ['admin'], 'Acme');
    const globex = await newAccount(stack, ['admin', 'ivr'], 'Globex');
    const own = await create(acme.accountId, acme.keys.admin);
    const item = `${collection(acme.accountId)}/${own.body.handoffId}`;
    for (const key of [globex.keys.admin, globex.keys.ivr]) {
      assert.equal((await http(stack, 'GET', item, { key })).status, 404);
      assert.equal((await http(stack, 'GET', collection(acme.accountId), { key })).status, 404);
    }
    assert.equal((await http(stack, 'PATCH', item, { key: globex.keys.admin, body: { skill: 'x' } })).status, 404);
    assert.equal((await http(stack, 'DELETE', item, { key: globex.keys.admin })).status, 404);
    assert.equal((await create(acme.accountId, globex.keys.admin)).status, 404);

    // Globex's own path with Acme's handoff ID: scoped by account, not just by ID.
    const foreignId = `${collection(globex.accountId)}/${own.body.handoffId}`;
    const r = await http(stack, 'GET', foreignId, { key: globex.keys.admin });
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'NOT_FOUND');
    assert.equal((await http(stack, 'PATCH', foreignId, { key: globex.keys.admin, body: { skill: 'x' } })).status, 404);
    assert.equal((await http(stack, 'DELETE', foreignId, { key: globex.keys.admin })).status, 404);

    const still = await http(stack, 'GET', item, { key: acme.keys.admin });
    assert.equal(still.status, 200);
    assert.equal(still.body.skill, 'billing');
  });
});

describe('handoff validation', () => {
  let accountId: string;
  let key: string;
  before(async () => {
    const account = await newAccount(stack, ['campaign_manager']);
    accountId = account.accountId;
    key = account.keys.campaign_manager;
  });

  it('creates and returns the stored handoff', async () => {
    const r = await create(accountId, key, { name: 'IVR billing', channels: ['app'], engagementName: 'Billing engagement' });
    assert.equal(r.status, 201, r.text);
    const { handoffId, createdAt, updatedAt, ...rest } = r.body;
    assert.match(handoffId, /^hnd_/);
    assert.equal(new Date(createdAt).toISOString(), createdAt);
    assert.equal(updatedAt, createdAt);
    assert.deepEqual(rest, {
      name: 'IVR billing',
      channels: ['app'],
      skill: 'billing',
      engagementName: 'Billing engagement',
      message: { text: 'Tap to chat with us 💬' },
      lookbackSeconds: 86_400,
      pushPolicy: { loggedIn: true, loggedOut: false },
    });
    const got = await http(stack, 'GET', `${collection(accountId)}/${handoffId}`, { key });
    assert.deepEqual(got.body, r.body);

    const bare = await create(accountId, key);
    assert.equal(bare.body.engagementName, null, 'engagementName is null when unset');
  });

  it('refuses app together with sms or whatsapp with CHANNEL_CONFLICT', async () => {
    for (const channels of [['app', 'sms'], ['whatsapp', 'app'], ['app', 'sms', 'whatsapp']]) {
      const r = await refused(accountId, key, { channels }, 400, 'CHANNEL_CONFLICT');
      assert.deepEqual(paths(r), ['channels']);
    }
  });

  it('refuses channels this deployment cannot send on with CHANNEL_NOT_SUPPORTED', async () => {
    for (const channels of [['sms'], ['whatsapp'], ['sms', 'whatsapp']]) {
      const r = await refused(accountId, key, { channels }, 400, 'CHANNEL_NOT_SUPPORTED');
      assert.deepEqual(paths(r), ['channels']);
    }
  });

  it('refuses unknown, repeated or no channels with INVALID_REQUEST', async () => {
    for (const channels of [['fax'], ['app', 'email'], [], ['app', 'app'], 'app']) {
      await refused(accountId, key, { channels }, 400, 'INVALID_REQUEST');
    }
  });

  it('lists every fault when a channel fault comes with another one', async () => {
    const r = await refused(accountId, key, { channels: ['app', 'sms'], lookbackSeconds: 1 }, 400, 'INVALID_REQUEST');
    assert.deepEqual(paths(r), ['channels', 'lookbackSeconds']);
  });

  it('answers 409 CONFLICT for a name already used in the account, not in another account', async () => {
    assert.equal((await create(accountId, key, { name: 'Support' })).status, 201);
    const r = await refused(accountId, key, { name: 'Support' }, 409, 'CONFLICT');
    assert.deepEqual(paths(r), ['name']);
    const other = await newAccount(stack, ['admin'], 'Other');
    assert.equal((await create(other.accountId, other.keys.admin, { name: 'Support' })).status, 201);
  });

  it('refuses < or > in the name, control characters, broken Unicode, and empty or overlong names', async () => {
    for (const name of ['<b>Billing</b>', 'a > b', '', 'x'.repeat(256), 'two\nlines', 'nul\u0000', 'lone \uD800 surrogate']) {
      const r = await refused(accountId, key, { name }, 400, 'INVALID_REQUEST');
      assert.deepEqual(paths(r), ['name']);
    }
    assert.equal((await create(accountId, key, { name: 'y'.repeat(255) })).status, 201);
  });

  it('refuses markup and control characters in the message with UNSUPPORTED_CONTENT', async () => {
    for (const text of ['<b>hi</b>', 'bell\u0007']) {
      const r = await refused(accountId, key, { message: { text } }, 400, 'UNSUPPORTED_CONTENT');
      assert.deepEqual(paths(r), ['message.text']);
    }
    await refused(accountId, key, { message: { text: '' } }, 400, 'INVALID_REQUEST');
    await refused(accountId, key, { message: { text: 'hi', image: 'x.png' } }, 400, 'INVALID_REQUEST');
  });

  it('names every bad field at once, unknown and missing fields included', async () => {
    const two = await refused(accountId, key, { name: '<x>', skill: '' }, 400, 'INVALID_REQUEST');
    assert.deepEqual(paths(two), ['name', 'skill']);
    const { pushPolicy: _omitted, ...withoutPush } = body({ color: 'red', engagementName: '' });
    const before = rowCount(accountId);
    const r = await http(stack, 'POST', collection(accountId), { key, body: withoutPush });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'INVALID_REQUEST');
    assert.deepEqual(paths(r), ['color', 'engagementName', 'pushPolicy']);
    assert.equal(rowCount(accountId), before);
  });

  it('bounds lookbackSeconds by the configured minimum and 30 days', async () => {
    assert.equal(stack.config.lookbackMinSeconds, LOOKBACK_MIN);
    for (const lookbackSeconds of [LOOKBACK_MIN - 1, 3600, 2_592_001, 7200.5, '86400']) {
      const r = await refused(accountId, key, { lookbackSeconds }, 400, 'INVALID_REQUEST');
      assert.deepEqual(paths(r), ['lookbackSeconds']);
    }
    for (const lookbackSeconds of [LOOKBACK_MIN, 2_592_000]) {
      assert.equal((await create(accountId, key, { lookbackSeconds })).status, 201);
    }
  });

  it('documents the endpoints with the configured bounds', async () => {
    const doc = await http(stack, 'GET', '/openapi.json');
    const ops = doc.body.paths['/v1/accounts/{accountId}/handoffs/{handoffId}'];
    assert.ok(ops.get && ops.patch && ops.delete);
    assert.ok(doc.body.paths['/v1/accounts/{accountId}/handoffs'].post);
    const create = doc.body.components.schemas.HandoffCreate;
    assert.equal(create.additionalProperties, false);
    assert.equal(create.properties.lookbackSeconds.minimum, LOOKBACK_MIN);
  });
});

describe('handoff list, patch and delete', () => {
  it('pages through every handoff exactly once', async () => {
    const { accountId, keys } = await newAccount(stack, ['admin', 'ivr']);
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) created.add((await create(accountId, keys.admin)).body.handoffId);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await http(stack, 'GET', `${collection(accountId)}${query}`, { key: keys.ivr });
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.handoffs.length <= 3);
      seen.push(...r.body.handoffs.map((h: { handoffId: string }) => h.handoffId));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.equal(seen.length, 7);
    assert.deepEqual(new Set(seen), created);

    const all = await http(stack, 'GET', collection(accountId), { key: keys.ivr });
    assert.equal(all.body.handoffs.length, 7);
    assert.equal(all.body.nextCursor, null);
    for (const query of ['?cursor=nonsense', '?limit=0', '?limit=abc', '?sort=name']) {
      const r = await http(stack, 'GET', `${collection(accountId)}${query}`, { key: keys.ivr });
      assert.equal(r.status, 400, query);
      assert.equal(r.body.code, 'INVALID_REQUEST');
    }
  });

  it('patches a subset of fields, checks the merged result and bumps updatedAt', async () => {
    const { accountId, keys } = await newAccount(stack, ['campaign_manager']);
    const key = keys.campaign_manager;
    const original = (await create(accountId, key, { name: 'Original', engagementName: 'Eng' })).body;
    await create(accountId, key, { name: 'Taken' });
    const item = `${collection(accountId)}/${original.handoffId}`;
    await new Promise((r) => setTimeout(r, 5));

    const r = await http(stack, 'PATCH', item, { key, body: { name: 'Renamed', message: { text: 'New text' }, pushPolicy: { loggedIn: false, loggedOut: true } } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, {
      ...original,
      name: 'Renamed',
      message: { text: 'New text' },
      pushPolicy: { loggedIn: false, loggedOut: true },
      updatedAt: r.body.updatedAt,
    });
    assert.ok(r.body.updatedAt > original.updatedAt, 'updatedAt moves on');
    assert.deepEqual((await http(stack, 'GET', item, { key })).body, r.body);

    const refusals: [unknown, number, string][] = [
      [{ channels: ['app', 'sms'] }, 400, 'CHANNEL_CONFLICT'],
      [{ channels: ['sms'] }, 400, 'CHANNEL_NOT_SUPPORTED'],
      [{ name: 'Taken' }, 409, 'CONFLICT'],
      [{ name: '<i>x</i>' }, 400, 'INVALID_REQUEST'],
      [{ message: { text: '<b>hi</b>' } }, 400, 'UNSUPPORTED_CONTENT'],
      [{ lookbackSeconds: LOOKBACK_MIN - 1 }, 400, 'INVALID_REQUEST'],
      [{ skill: 'ok', handoffId: 'hnd_other' }, 400, 'INVALID_REQUEST'],
      [{ pushPolicy: { loggedIn: true } }, 400, 'INVALID_REQUEST'],
    ];
    for (const [patch, status, code] of refusals) {
      const bad = await http(stack, 'PATCH', item, { key, body: patch });
      assert.equal(bad.status, status, JSON.stringify(patch));
      assert.equal(bad.body.code, code, JSON.stringify(patch));
    }
    assert.deepEqual((await http(stack, 'GET', item, { key })).body, r.body, 'a refused patch changes nothing');

    const cleared = await http(stack, 'PATCH', item, { key, body: { engagementName: null, channels: ['app'] } });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.engagementName, null);
    const same = await http(stack, 'PATCH', item, { key, body: { name: 'Renamed' } });
    assert.equal(same.status, 200, 'keeping its own name is no conflict');
  });

  it('deletes, then answers 404', async () => {
    const { accountId, keys } = await newAccount(stack, ['admin']);
    const h = (await create(accountId, keys.admin, { name: 'Gone soon' })).body;
    const item = `${collection(accountId)}/${h.handoffId}`;
    assert.equal((await http(stack, 'DELETE', item, { key: keys.admin })).status, 204);
    assert.equal(rowCount(accountId), 0);
    for (const [method, payload] of [['GET'], ['DELETE'], ['PATCH', { skill: 'x' }]] as const) {
      const r = await http(stack, method, item, { key: keys.admin, body: payload });
      assert.equal(r.status, 404, method);
      assert.equal(r.body.code, 'NOT_FOUND');
    }
    assert.equal((await create(accountId, keys.admin, { name: 'Gone soon' })).status, 201, 'the name is free again');
  });
});
