import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertCampaign } from '../db/campaigns.js';
import { brandWithSink, campaignBody, loginConsumer, SINK_SECRET } from './fixtures.js';
import { eventually, http, newAccount, startStack, type Stack } from './harness.js';
import { startSink, type Sink } from './sink.js';

const ROLES = ['admin', 'campaign_manager', 'analyst', 'sdk', 'ivr', 'agent'] as const;
type Account = Awaited<ReturnType<typeof brand>>;

let stack: Stack;
let sink: Sink;

before(async () => {
  sink = await startSink({ secret: SINK_SECRET, script: (consumerId) => (consumerId.startsWith('rej-') ? 410 : 200) });
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
  await sink?.close();
});

const brand = (name = 'Acme') => brandWithSink(stack, sink.url, ROLES, name);

const get = (acct: { accountId: string; keys: { analyst: string } }, path: string, key = acct.keys.analyst, headers?: Record<string, string>) =>
  http(stack, 'GET', `/v1/accounts/${acct.accountId}/reports${path}`, { key, headers });

async function openConversation(acct: Account, consumerId: string) {
  const r = await http(stack, 'PUT', `/v1/accounts/${acct.accountId}/conversations/conv-sms-${consumerId}`, {
    key: acct.keys.sdk,
    body: { consumerId, channel: 'sms', status: 'open' },
  });
  assert.equal(r.status, 201, r.text);
}

/** Receipts as the app back end reports them. */
async function receipt(acct: Account, messageId: string, types: ('delivered' | 'read')[]) {
  for (const type of types) {
    const r = await http(stack, 'POST', `/v1/accounts/${acct.accountId}/messages/${messageId}/events`, { key: acct.keys.sdk, body: { type } });
    assert.equal(r.status, 200, r.text);
  }
}

/** The consumer opens a conversation (routed to the outbound message in its lookback) and, if asked, replies. */
async function converse(acct: Account, consumerId: string, reply: boolean): Promise<string> {
  const c = await http(stack, 'POST', `/v1/accounts/${acct.accountId}/consumers/${consumerId}/conversations`, { key: acct.keys.sdk, body: { channel: 'app' } });
  assert.equal(c.status, 201, c.text);
  if (reply) {
    const m = await http(stack, 'POST', `/v1/accounts/${acct.accountId}/conversations/${c.body.conversationId}/messages`, { key: acct.keys.sdk, body: { from: 'consumer', text: 'yes please' } });
    assert.equal(m.status, 201, m.text);
  }
  return c.body.conversationId;
}

const messageIdOf = (campaignId: string, consumerId: string) =>
  (stack.db.$client.prepare('select id from messages where campaign_id = ? and consumer_id = ?').get(campaignId, consumerId) as { id: string }).id;

/** RFC 4180, enough for what csv-stringify writes: quoted fields with doubled quotes, CRLF or LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n') (row.push(field), rows.push(row), (row = []), (field = ''));
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) (row.push(field), rows.push(row));
  return rows;
}

type Row = { messageId: string; consumerId: string; status: string; errorCode: string | null; sentAt: string | null; deliveredAt: string | null; readAt: string | null; repliedAt: string | null; conversationId: string | null };

async function allPages(acct: Account, campaignId: string, query: string, limit: number): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r = await get(acct, `/campaigns/${campaignId}/messages?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.messages.length <= limit);
    rows.push(...r.body.messages);
    cursor = r.body.nextCursor;
    pages++;
  } while (cursor);
  return { rows, pages };
}

const today = () => new Date().toISOString().slice(0, 10);
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('reports over a mixed campaign and IVR deflections', () => {
  let acct: Account;
  let campaignId: string;
  const sent = ['ok-1', 'ok-2', 'ok-3', 'ok-4', 'ok-5', 'ok-6'];
  const open = ['open-1', 'open-2'];
  const rejected = ['rej-1', 'rej-2'];
  // a comma and quotes, so the CSV must quote
  const never = ['never-1', 'never-2', 'never,"3"'];
  const audience = [...sent, ...never, ...open, ...rejected];
  const deflections: Record<string, string> = {};
  const conversations: Record<string, string> = {};

  before(async () => {
    acct = await brand();
    for (const id of [...sent, ...open, ...rejected, 'd-ok', 'd-open']) await loginConsumer(stack, acct.accountId, acct.keys.sdk, id);
    for (const id of [...open, 'd-open']) await openConversation(acct, id);

    const r = await http(stack, 'POST', `/v1/accounts/${acct.accountId}/campaigns`, { key: acct.keys.campaign_manager, body: campaignBody(audience) });
    assert.equal(r.status, 202, r.text);
    campaignId = r.body.campaignId;
    await eventually(async () => {
      const c = await http(stack, 'GET', `/v1/accounts/${acct.accountId}/campaigns/${campaignId}`, { key: acct.keys.analyst });
      return c.body.status === 'active' && c.body.counts.pending === 0;
    });
    await receipt(acct, messageIdOf(campaignId, 'ok-1'), ['delivered']);
    // a read receipt alone still proves delivery
    await receipt(acct, messageIdOf(campaignId, 'ok-2'), ['read']);
    await receipt(acct, messageIdOf(campaignId, 'ok-3'), ['delivered', 'read']);
    conversations['ok-3'] = await converse(acct, 'ok-3', true);

    const handoff = await http(stack, 'POST', `/v1/accounts/${acct.accountId}/handoffs`, {
      key: acct.keys.campaign_manager,
      body: { name: 'Billing IVR', channels: ['app'], skill: 'ivr-billing', message: { text: 'Tap to chat 💬' }, lookbackSeconds: 3600, pushPolicy: { loggedIn: true, loggedOut: true } },
    });
    assert.equal(handoff.status, 201, handoff.text);
    for (const consumerId of ['d-ok', 'd-never', 'd-open']) {
      const d = await http(stack, 'POST', `/v1/accounts/${acct.accountId}/ivr/deflections`, {
        key: acct.keys.ivr,
        body: { handoffId: handoff.body.handoffId, consumerId, callId: `call-${consumerId}` },
      });
      assert.equal(d.status, 202, d.text);
      deflections[consumerId] = d.body.deflectionId;
    }
    for (const id of Object.values(deflections)) {
      await eventually(async () => {
        const d = await http(stack, 'GET', `/v1/accounts/${acct.accountId}/ivr/deflections/${id}`, { key: acct.keys.ivr });
        return d.body.status !== 'accepted';
      });
    }
    const dOk = stack.db.$client.prepare('select id, consumer_id as consumerId from messages where deflection_id = ?').get(deflections['d-ok']) as { id: string; consumerId: string };
    await receipt(acct, dOk.id, ['delivered', 'read']);
    await converse(acct, dOk.consumerId, false);
  });

  it('counts every stage of the campaign, and the counts equal its per-recipient rows', async () => {
    const r = await get(acct, `/campaigns/${campaignId}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, {
      campaignId,
      attempted: 13,
      pending: 0,
      sent: 6,
      failed: 7,
      delivered: 3,
      read: 2,
      replied: 1,
      expired: 0,
      cancelled: 0,
      conversationsCreated: 1,
      failureReasons: { CONSUMER_NOT_REGISTERED: 3, OPEN_CONVERSATION: 2, PUSH_REJECTED: 2 },
    });

    const { rows } = await allPages(acct, campaignId, '', 1000);
    const n = (f: (m: Row) => unknown) => rows.filter(f).length;
    const reasons: Record<string, number> = {};
    for (const m of rows) if (m.status === 'failed') reasons[m.errorCode!] = (reasons[m.errorCode!] ?? 0) + 1;
    assert.deepEqual(
      { attempted: rows.length, sent: n((m) => m.sentAt), failed: n((m) => m.status === 'failed'), delivered: n((m) => m.deliveredAt), read: n((m) => m.readAt), replied: n((m) => m.repliedAt), failureReasons: reasons },
      { attempted: r.body.attempted, sent: r.body.sent, failed: r.body.failed, delivered: r.body.delivered, read: r.body.read, replied: r.body.replied, failureReasons: r.body.failureReasons },
    );
    const byConsumer = Object.fromEntries(rows.map((m) => [m.consumerId, m]));
    assert.deepEqual([byConsumer['ok-2']!.status, typeof byConsumer['ok-2']!.deliveredAt], ['read', 'string']);
    assert.equal(byConsumer['ok-3']!.conversationId, conversations['ok-3']);
    assert.deepEqual([byConsumer['rej-1']!.status, byConsumer['rej-1']!.errorCode, byConsumer['rej-1']!.sentAt], ['failed', 'PUSH_REJECTED', null]);
    assert.deepEqual(Object.keys(byConsumer['ok-1']!).sort(), ['consumerId', 'conversationId', 'deliveredAt', 'errorCode', 'messageId', 'readAt', 'repliedAt', 'sentAt', 'status']);
  });

  it('pages with a small limit return every recipient exactly once, in campaign order', async () => {
    const { rows, pages } = await allPages(acct, campaignId, '', 4);
    assert.equal(pages, 4);
    assert.deepEqual(rows.map((m) => m.consumerId), audience);
    assert.equal(new Set(rows.map((m) => m.messageId)).size, audience.length);
  });

  it('filters by status and errorCode, and names a bad query field', async () => {
    const failed = await allPages(acct, campaignId, '&status=failed', 2);
    assert.equal(failed.rows.length, 7);
    assert.ok(failed.rows.every((m) => m.status === 'failed'));
    const rejectedRows = await allPages(acct, campaignId, '&errorCode=PUSH_REJECTED', 1);
    assert.deepEqual(rejectedRows.rows.map((m) => m.consumerId), rejected);
    const both = await allPages(acct, campaignId, '&status=failed&errorCode=OPEN_CONVERSATION', 10);
    assert.deepEqual(both.rows.map((m) => m.consumerId), open);
    // the status as shown: 'read' is ok-2 only (ok-3 has moved on to replied)
    const read = await allPages(acct, campaignId, '&status=read', 10);
    assert.deepEqual(read.rows.map((m) => m.consumerId), ['ok-2']);
    const sentOnly = await allPages(acct, campaignId, '&status=sent', 10);
    assert.deepEqual(sentOnly.rows.map((m) => m.consumerId), ['ok-4', 'ok-5', 'ok-6']);

    const bad: [string, string[]][] = [
      ['status=bogus', ['query.status']],
      ['status=sending', ['query.status']],
      ['errorCode=NOPE', ['query.errorCode']],
      ['limit=0&color=red', ['query.color', 'query.limit']],
      ['cursor=not-a-cursor', ['query.cursor']],
    ];
    for (const [query, paths] of bad) {
      const r = await get(acct, `/campaigns/${campaignId}/messages?${query}`);
      assert.equal(r.status, 400, query);
      assert.equal(r.body.code, 'INVALID_REQUEST');
      assert.deepEqual(r.body.errors.map((e: { path: string }) => e.path).sort(), paths, query);
    }
  });

  it('streams CSV: a header and exactly one line per recipient, which parse back to the JSON rows', async () => {
    const r = await get(acct, `/campaigns/${campaignId}/messages?limit=2`, acct.keys.analyst, { accept: 'text/csv' });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^text\/csv/);
    assert.match(r.headers.get('content-disposition')!, new RegExp(`^attachment; filename="campaign-${campaignId}-messages\\.csv"$`));
    const lines = r.text.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, audience.length + 1, 'header plus one line per recipient (limit does not apply)');
    const [header, ...records] = parseCsv(r.text);
    const columns = ['messageId', 'consumerId', 'status', 'errorCode', 'sentAt', 'deliveredAt', 'readAt', 'repliedAt', 'conversationId'];
    assert.deepEqual(header, columns);
    const { rows } = await allPages(acct, campaignId, '', 1000);
    assert.deepEqual(
      records.map((rec) => Object.fromEntries(columns.map((c, i) => [c, rec[i] === '' ? null : rec[i]]))),
      rows,
    );
    assert.ok(records.some((rec) => rec[1] === 'never,"3"'));

    const failedCsv = await get(acct, `/campaigns/${campaignId}/messages?status=failed`, acct.keys.analyst, { accept: 'text/csv' });
    assert.equal(parseCsv(failedCsv.text).length, 8);
    const none = await get(acct, `/campaigns/${campaignId}/messages?status=expired`, acct.keys.analyst, { accept: 'text/csv' });
    assert.deepEqual(parseCsv(none.text), [columns], 'no match: just the header');
  });

  it('hides another account\'s campaign (404) and lets only reporting roles read', async () => {
    const other = await brand('Globex');
    for (const path of [`/campaigns/${campaignId}`, `/campaigns/${campaignId}/messages`]) {
      const sideways = await get(other, path, other.keys.analyst);
      assert.equal(sideways.status, 404, path);
      assert.equal(sideways.body.code, 'NOT_FOUND');
      const foreignPath = await http(stack, 'GET', `/v1/accounts/${acct.accountId}/reports${path}`, { key: other.keys.admin });
      assert.equal(foreignPath.status, 404);
    }
    assert.equal((await get(acct, '/campaigns/cmp_missing')).status, 404);

    const paths = [`/campaigns/${campaignId}`, `/campaigns/${campaignId}/messages`, '/deflections', `/analytics?from=${today()}&to=${today()}`];
    for (const path of paths) {
      for (const role of ['analyst', 'campaign_manager', 'admin'] as const) assert.equal((await get(acct, path, acct.keys[role])).status, 200, `${role} ${path}`);
      for (const role of ['sdk', 'ivr', 'agent'] as const) {
        const r = await get(acct, path, acct.keys[role]);
        assert.equal(r.status, 403, `${role} ${path}`);
        assert.equal(r.body.code, 'FORBIDDEN');
      }
      assert.equal((await http(stack, 'GET', `/v1/accounts/${acct.accountId}/reports${path}`)).status, 401);
    }
  });

  it('reports IVR deflections over a time range', async () => {
    const expected = {
      attempted: 3,
      pending: 0,
      sent: 1,
      failed: 2,
      delivered: 1,
      read: 1,
      replied: 0,
      expired: 0,
      cancelled: 0,
      conversationsCreated: 1,
      failureReasons: { CONSUMER_NOT_REGISTERED: 1, OPEN_CONVERSATION: 1 },
    };
    const r = await get(acct, `/deflections?from=${today()}&to=${today()}`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { from: today(), to: today(), ...expected });
    const open = await get(acct, '/deflections');
    assert.deepEqual(open.body, { from: null, to: null, ...expected });
    const instant = await get(acct, `/deflections?from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date().toISOString()}`);
    assert.equal(instant.body.attempted, 3);
    const yesterday = await get(acct, `/deflections?from=${dayOffset(-1)}&to=${dayOffset(-1)}`);
    assert.deepEqual([yesterday.body.attempted, yesterday.body.conversationsCreated, yesterday.body.failureReasons], [0, 0, {}]);

    const backwards = await get(acct, `/deflections?from=${today()}&to=${dayOffset(-1)}`);
    assert.equal(backwards.status, 400);
    assert.deepEqual(backwards.body.errors.map((e: { path: string }) => e.path), ['query.to']);
    const garbage = await get(acct, '/deflections?from=yesterday');
    assert.deepEqual([garbage.status, garbage.body.errors.map((e: { path: string }) => e.path)], [400, ['query.from']]);
  });

  it('gives daily analytics with the campaign and the deflections on today\'s UTC date', async () => {
    const r = await get(acct, `/analytics?from=${dayOffset(-6)}&to=${today()}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.days.length, 7);
    assert.deepEqual(r.body.days.map((d: { date: string }) => d.date), [-6, -5, -4, -3, -2, -1, 0].map(dayOffset));
    const zero = { attempted: 0, sent: 0, failed: 0, delivered: 0, read: 0, replied: 0 };
    for (const d of r.body.days.slice(0, 6)) assert.deepEqual(d, { date: d.date, ...zero });
    assert.deepEqual(r.body.days[6], { date: today(), attempted: 16, sent: 7, failed: 9, delivered: 4, read: 3, replied: 1 });

    const ivr = await get(acct, `/analytics?from=${today()}&to=${today()}&source=ivr`);
    assert.deepEqual(ivr.body.days, [{ date: today(), attempted: 3, sent: 1, failed: 2, delivered: 1, read: 1, replied: 0 }]);
    const proactive = await get(acct, `/analytics?from=${today()}&to=${today()}&source=proactive`);
    assert.deepEqual(proactive.body.days, [{ date: today(), attempted: 13, sent: 6, failed: 7, delivered: 3, read: 2, replied: 1 }]);
    const skill = await get(acct, `/analytics?from=${today()}&to=${today()}&skill=ivr-billing`);
    assert.equal(skill.body.days[0].attempted, 3);
    assert.deepEqual([skill.body.source, skill.body.skill], [null, 'ivr-billing']);

    const bad: [string, string[]][] = [
      [`to=${today()}`, ['query.from']],
      [`from=${today()}&to=${dayOffset(-1)}`, ['query.to']],
      [`from=${dayOffset(-400)}&to=${today()}`, ['query.to']],
      [`from=2026-02-30&to=${today()}`, ['query.from']],
      [`from=${today()}&to=${today()}&source=sms`, ['query.source']],
    ];
    for (const [query, paths] of bad) {
      const b = await get(acct, `/analytics?${query}`);
      assert.equal(b.status, 400, query);
      assert.deepEqual(b.body.errors.map((e: { path: string }) => e.path), paths, query);
    }
    assert.equal((await get(acct, `/analytics?from=${dayOffset(-365)}&to=${today()}`)).body.days.length, 366);
  });

  it('documents the endpoints, CSV included, in the OpenAPI document', async () => {
    const doc = await http(stack, 'GET', '/openapi.json');
    const messages = doc.body.paths['/v1/accounts/{accountId}/reports/campaigns/{campaignId}/messages'].get;
    assert.deepEqual(Object.keys(messages.responses['200'].content).sort(), ['application/json', 'text/csv']);
    for (const p of ['campaigns/{campaignId}', 'deflections', 'analytics']) assert.ok(doc.body.paths[`/v1/accounts/{accountId}/reports/${p}`]?.get, p);
  });
});

describe('a 100,000-recipient campaign report', () => {
  it('answers from aggregate queries in well under a second, and streams every row as CSV', async () => {
    const N = 100_000;
    const acct = await newAccount(stack, ['analyst']);
    const now = Date.now();
    const campaignId = 'cmp_report_scale';
    // Set-up, not under test: the rows are written directly, no workflow runs.
    insertCampaign(
      stack.db,
      {
        id: campaignId, accountId: acct.accountId, name: 'Scale', skill: 'billing', messageText: 'Hi', lookbackSeconds: 3600,
        pushLoggedIn: true, pushLoggedOut: true, status: 'active', total: N, startAt: now, createdAt: now, workflowId: 'none',
      },
      Array.from({ length: N }, (_, i) => `scale-${i}`),
    );
    const sqlite = stack.db.$client;
    sqlite.prepare(`update messages set status = 'failed', error_code = 'CONSUMER_NOT_REGISTERED', failed_at = ? where campaign_id = ? and seq % 10 = 0`).run(now, campaignId);
    sqlite.prepare(`update messages set status = 'sent', sent_at = ? where campaign_id = ? and seq % 10 between 1 and 7`).run(now, campaignId);
    sqlite.prepare(`update messages set status = 'read', delivered_at = ?, read_at = ? where campaign_id = ? and seq % 10 between 4 and 5`).run(now, now, campaignId);

    const times: number[] = [];
    let body: any;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await get(acct, `/campaigns/${campaignId}`);
      times.push(performance.now() - t0);
      assert.equal(r.status, 200);
      body = r.body;
    }
    assert.deepEqual(
      [body.attempted, body.pending, body.sent, body.failed, body.delivered, body.read, body.failureReasons],
      [N, 20_000, 70_000, 10_000, 20_000, 20_000, { CONSUMER_NOT_REGISTERED: 10_000 }],
    );
    const a0 = performance.now();
    const analytics = await get(acct, `/analytics?from=${dayOffset(-30)}&to=${today()}`, acct.keys.analyst);
    const analyticsMs = performance.now() - a0;
    assert.equal(analytics.body.days.at(-1).attempted, N);

    const c0 = performance.now();
    const csv = await get(acct, `/campaigns/${campaignId}/messages`, acct.keys.analyst, { accept: 'text/csv' });
    const csvMs = performance.now() - c0;
    assert.equal(csv.text.split('\n').filter((l) => l !== '').length, N + 1);

    // A slow reader: the download waits on the socket, and meanwhile the API's connection still writes.
    const res = await fetch(`${stack.baseUrl}/v1/accounts/${acct.accountId}/reports/campaigns/${campaignId}/messages`, {
      headers: { authorization: `Bearer ${acct.keys.analyst}`, accept: 'text/csv' },
    });
    const reader = res.body!.getReader();
    let received = (await reader.read()).value!.length;
    await new Promise((r) => setTimeout(r, 300));
    const write = await http(stack, 'POST', '/v1/accounts', { key: stack.rootKey, body: { name: 'Written during a download' } });
    assert.equal(write.status, 201, write.text);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += chunk.value.length;
    assert.equal(received, Buffer.byteLength(csv.text));

    console.log(
      `100k report: ${times.map((t) => t.toFixed(0)).join('/')} ms over HTTP; 31-day analytics ${analyticsMs.toFixed(0)} ms; CSV of ${N} rows (${(csv.text.length / 1e6).toFixed(1)} MB) in ${csvMs.toFixed(0)} ms`,
    );
    assert.ok(Math.min(...times) < 500, `report took ${times.join(', ')} ms`);
  });
});
