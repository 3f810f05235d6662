import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, http, newAccount, startStack, type Stack } from './harness.js';

let stack: Stack;
before(async () => {
  stack = await startStack({ worker: false });
});
after(() => stack?.stop());

describe('health', () => {
  it('answers 503 until a worker polls, then 200', async () => {
    const down = await http(stack, 'GET', '/healthz');
    assert.equal(down.status, 503);
    assert.deepEqual(down.body, { status: 'unavailable', temporal: 'up', db: 'up', worker: 'down' });
    await stack.startWorker();
    const up = await eventually(async () => {
      const r = await http(stack, 'GET', '/healthz');
      return r.status === 200 && r;
    }, 20_000, 250);
    assert.deepEqual(up.body, { status: 'ok', temporal: 'up', db: 'up', worker: 'up' });
  });

  it('runs a workflow started through the API client to completion on the worker', async () => {
    const result = await stack.app.temporal.workflow.execute('ping', {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: `ping-${Date.now()}`,
      args: ['hello'],
    });
    assert.equal(result, 'hello');
  });
});

describe('tenancy and keys', () => {
  it('root creates an account and an admin key; the admin creates and revokes keys', async () => {
    const account = await http(stack, 'POST', '/v1/accounts', { key: stack.rootKey, body: { name: 'Acme' } });
    assert.equal(account.status, 201);
    assert.match(account.body.accountId, /^acc_/);
    assert.equal(account.body.name, 'Acme');
    const a = account.body.accountId;

    const admin = await http(stack, 'POST', `/v1/accounts/${a}/api-keys`, { key: stack.rootKey, body: { role: 'admin', name: 'ops' } });
    assert.equal(admin.status, 201);
    assert.equal(admin.body.role, 'admin');
    assert.match(admin.body.key, /^c2m_key_/);

    const analyst = await http(stack, 'POST', `/v1/accounts/${a}/api-keys`, { key: admin.body.key, body: { role: 'analyst', name: 'bi' } });
    assert.equal(analyst.status, 201);
    // keys are stored hashed: the plain key appears nowhere in the database
    const stored = stack.db.$client.prepare('select secret_hash from api_keys where id = ?').get(analyst.body.keyId) as { secret_hash: string };
    assert.ok(!analyst.body.key.includes(stored.secret_hash));

    // the analyst may not manage keys
    const forbidden = await http(stack, 'POST', `/v1/accounts/${a}/api-keys`, { key: analyst.body.key, body: { role: 'admin', name: 'x' } });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.code, 'FORBIDDEN');

    const revoke = await http(stack, 'DELETE', `/v1/accounts/${a}/api-keys/${analyst.body.keyId}`, { key: admin.body.key });
    assert.equal(revoke.status, 204);
    const revoked = await http(stack, 'POST', `/v1/accounts/${a}/api-keys`, { key: analyst.body.key, body: { role: 'sdk', name: 'x' } });
    assert.equal(revoked.status, 401);
    const again = await http(stack, 'DELETE', `/v1/accounts/${a}/api-keys/${analyst.body.keyId}`, { key: admin.body.key });
    assert.equal(again.status, 404);
  });

  it('401 without or with an unknown credential, 403 for root outside accounts and keys', async () => {
    const none = await http(stack, 'POST', '/v1/accounts', { body: { name: 'x' } });
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'UNAUTHENTICATED');
    assert.match(none.headers.get('content-type') ?? '', /application\/problem\+json/);
    const unknown = await http(stack, 'POST', '/v1/accounts', { key: 'c2m_key_nope.AAAAAAAAAAAAAAAAAAAA', body: { name: 'x' } });
    assert.equal(unknown.status, 401);
    const { accountId, keys } = await newAccount(stack, ['admin']);
    const adminMakesAccount = await http(stack, 'POST', '/v1/accounts', { key: keys.admin, body: { name: 'x' } });
    assert.equal(adminMakesAccount.status, 403);
    const rootRevokes = await http(stack, 'DELETE', `/v1/accounts/${accountId}/api-keys/key_x`, { key: stack.rootKey });
    assert.equal(rootRevokes.status, 403);
  });

  it("answers 404 for another account's resources, whatever the role", async () => {
    const acme = await newAccount(stack, ['admin', 'analyst'], 'Acme');
    const globex = await newAccount(stack, ['admin'], 'Globex');
    for (const key of [acme.keys.admin, acme.keys.analyst]) {
      const r = await http(stack, 'POST', `/v1/accounts/${globex.accountId}/api-keys`, { key, body: { role: 'sdk', name: 'x' } });
      assert.equal(r.status, 404);
      assert.equal(r.body.code, 'NOT_FOUND');
    }
    const missing = await http(stack, 'POST', '/v1/accounts/acc_missing/api-keys', { key: stack.rootKey, body: { role: 'sdk', name: 'x' } });
    assert.equal(missing.status, 404);
  });
});

describe('errors', () => {
  it('names every bad field in one problem+json body, unknown fields included', async () => {
    const { accountId, keys } = await newAccount(stack, ['admin']);
    const r = await http(stack, 'POST', `/v1/accounts/${accountId}/api-keys`, {
      key: keys.admin,
      body: { role: 'boss', name: '', color: 'red' },
    });
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(r.body.code, 'INVALID_REQUEST');
    assert.equal(r.body.status, 400);
    for (const k of ['type', 'title', 'detail']) assert.equal(typeof r.body[k], 'string');
    const paths = r.body.errors.map((e: { path: string }) => e.path).sort();
    assert.deepEqual(paths, ['color', 'name', 'role']);
    const keysAfter = stack.db.$client.prepare('select count(*) n from api_keys where account_id = ?').get(accountId) as { n: number };
    assert.equal(keysAfter.n, 1, 'a rejected body writes no row');
  });

  it('refuses malformed JSON with 400 and non-JSON bodies with 415', async () => {
    const bad = await http(stack, 'POST', '/v1/accounts', { key: stack.rootKey, rawBody: '{"name": ' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'INVALID_REQUEST');
    const text = await http(stack, 'POST', '/v1/accounts', { key: stack.rootKey, rawBody: 'name=Acme', contentType: 'text/plain' });
    assert.equal(text.status, 415);
    assert.equal(text.body.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('admits 100,000 consumer IDs of 128 characters but refuses a larger body with 413', async () => {
    const id = 'x'.repeat(128);
    const consumers = Array.from({ length: 100_000 }, (_, i) => ({ consumerId: `${i}`.padStart(128, id) }));
    const big = await http(stack, 'POST', '/v1/accounts', { key: stack.rootKey, body: { name: 'A', consumers } });
    assert.equal(big.status, 400, 'parsed (and refused for the unknown field), not 413');
    assert.deepEqual(big.body.errors.map((e: { path: string }) => e.path), ['consumers']);
    const huge = await http(stack, 'POST', '/v1/accounts', { key: stack.rootKey, rawBody: `{"name":"${'y'.repeat(stack.config.bodyLimitBytes)}"}` });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.code, 'PAYLOAD_TOO_LARGE');
  });

  it('answers problem+json 404 for an unknown route', async () => {
    const r = await http(stack, 'GET', '/v1/nothing-here');
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'NOT_FOUND');
  });
});

describe('documentation', () => {
  it('serves an OpenAPI 3.1 document generated from the schemas, and a docs page', async () => {
    const doc = await http(stack, 'GET', '/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    assert.ok(doc.body.paths['/v1/accounts/{accountId}/api-keys'].post);
    assert.equal(doc.body.components.schemas.ApiKeyCreate.additionalProperties, false);
    const page = await http(stack, 'GET', '/docs');
    assert.equal(page.status, 200);
    assert.match(page.text, /swagger-ui/);
  });
});
