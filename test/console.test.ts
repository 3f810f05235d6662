// The web console in a real headless Chromium against a real stack: what an operator, a campaign
// manager and an agent would click and read.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { brandWithSink, loginConsumer, SINK_SECRET } from './fixtures.js';
import { eventually, http, startStack, type Stack } from './harness.js';
import { startSink, type Sink } from './sink.js';

export const SCREENSHOT = path.resolve('test-artifacts', 'console-campaign.png');

let stack: Stack;
let sink: Sink;
let browser: Browser;
let page: Page;
const pageErrors: Error[] = [];
let b: Awaited<ReturnType<typeof brandWithSink<'campaign_manager' | 'sdk' | 'agent'>>>;

before(async () => {
  sink = await startSink({ secret: SINK_SECRET, script: (consumerId) => (consumerId === 'u-410' ? 410 : 200) });
  stack = await startStack();
  browser = await launchBrowser();
  page = await browser.newPage({ baseURL: stack.baseUrl, acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  page.setDefaultTimeout(15_000);
  // a script error in the console is a test failure, not something to discover in a screenshot
  page.on('pageerror', (err) => pageErrors.push(err));
  b = await brandWithSink(stack, sink.url, ['campaign_manager', 'sdk', 'agent']);
  for (const id of ['u-1', 'u-2', 'u-3', 'u-410', 'u-quiet']) await loginConsumer(stack, b.accountId, b.keys.sdk, id);
});
after(async () => {
  await browser?.close();
  await stack?.stop();
  await sink?.close();
});

const campaignsInDb = () => (stack.db.$client.prepare('select count(*) n from campaigns where account_id = ?').get(b.accountId) as { n: number }).n;
const text = (selector: string) => page.locator(selector).innerText();
const stage = (name: string) => text(`#funnel [data-stage="${name}"]`);

async function signIn(key: string) {
  await page.goto('/console/');
  await page.waitForURL(/#\/signin$/);
  await page.fill('#f-accountId', b.accountId);
  await page.fill('#f-key', key);
  await page.click('form button[type=submit]');
}

let campaignId: string;
let routedConversation: string;

describe('web console', () => {
  it('refuses an unknown key at sign-in, then signs in and lists campaigns', async () => {
    const config = await http(stack, 'GET', '/console/config.json');
    assert.equal(config.status, 200);
    assert.equal(config.body.temporalUiUrl, stack.config.temporal.uiUrl);
    const bare = await fetch(`${stack.baseUrl}/console`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/console/');
    const chart = await fetch(`${stack.baseUrl}/console/vendor/chart.umd.js`);
    assert.equal(chart.status, 200);
    assert.match(chart.headers.get('content-type')!, /javascript/);

    await signIn('c2m_key_nope.nope');
    await page.locator('[data-error-for="key"]', { hasText: 'unknown or revoked key' }).waitFor();
    await page.fill('#f-key', b.keys.campaign_manager);
    await page.click('form button[type=submit]');
    await page.waitForURL(/#\/campaigns$/);
    await page.getByText('No campaigns yet.').waitFor();
  });

  it('shows the API validation errors next to the inputs and creates nothing', async () => {
    await page.click('nav >> text=New campaign');
    await page.waitForSelector('#campaign-form');
    await page.fill('#f-campaignName', '');
    await page.fill('#f-skill', 'billing');
    await page.fill('#f-message-text', '<b>sale</b>');
    await page.fill('#f-lookbackSeconds', '0');
    await page.fill('#f-consumers', 'u-1');
    await page.click('#campaign-form button[type=submit]');
    const error = (p: string) => page.locator(`[data-error-for="${p}"]`);
    await error('message.text').filter({ hasText: /plain text/ }).waitFor();
    assert.match(await error('lookbackSeconds').innerText(), /\S/);
    assert.match(await error('campaignName').innerText(), /\S/);
    assert.equal(await error('skill').innerText(), '');
    assert.equal(await page.locator('#f-message-text').getAttribute('aria-invalid'), 'true');
    assert.match(await text('#campaign-form .form-errors'), /UNSUPPORTED_CONTENT|INVALID_REQUEST/);
    assert.match(page.url(), /#\/campaigns\/new$/);
    assert.equal(campaignsInDb(), 0);
  });

  it('creates a campaign from pasted and uploaded IDs and follows its funnel live', async () => {
    sink.reset();
    await page.fill('#f-campaignName', 'Spring offer');
    await page.fill('#f-engagementName', 'in-app-spring');
    await page.fill('#f-message-text', 'Hi 👋 tap to chat');
    await page.fill('#f-lookbackSeconds', '3600');
    await page.fill('#f-pacing-messagesPerSecond', '1');
    await page.fill('#f-consumers', 'u-1, u-2\nu-never');
    await page.setInputFiles('#f-consumersFile', { name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from('consumerId\nu-3\n"u-410"\nu-1\n') });
    await page.locator('#consumer-count', { hasText: '6 consumer IDs' }).waitFor();
    await page.click('#campaign-form button[type=submit]');
    await page.waitForURL(/#\/campaigns\/cmp_/);
    campaignId = decodeURIComponent(page.url().split('#/campaigns/')[1]!);
    await page.getByText('Accepted 5 consumers; refused 1').waitFor();
    await page.getByText('u-1 (DUPLICATE_CONSUMER)').waitFor();

    // the page refreshes itself while the campaign dispatches (1 message a second): no reload
    const seen: { status: string; sent: string }[] = [];
    await eventually(
      async () => {
        const now = { status: await text('#campaign-status'), sent: await stage('sent') };
        if (seen.at(-1)?.status !== now.status || seen.at(-1)?.sent !== now.sent) seen.push(now);
        return now.status === 'active' && now.sent === '3';
      },
      30_000,
      50,
    );
    assert.ok(seen.some((s) => s.status === 'dispatching' && s.sent !== '0' && s.sent !== '3'), `an intermediate count was shown: ${JSON.stringify(seen)}`);
    assert.equal(await stage('attempted'), '5');
    assert.equal(await stage('failed'), '2');
    assert.equal(await stage('pending'), '0');
    assert.equal(await text('#failure-reasons [data-reason="CONSUMER_NOT_REGISTERED"] td.num'), '1');
    assert.equal(await text('#failure-reasons [data-reason="PUSH_REJECTED"] td.num'), '1');

    // receipts and a reply from the app reach the page on its slower refresh while active
    const messageOf = (c: string) => sink.requests.find((r) => r.body.consumerId === c)!.body.messageId as string;
    const event = (c: string, type: string) => http(stack, 'POST', `/v1/accounts/${b.accountId}/messages/${messageOf(c)}/events`, { key: b.keys.sdk, body: { type } });
    assert.equal((await event('u-2', 'delivered')).status < 300, true);
    assert.equal((await event('u-3', 'read')).status < 300, true);
    const conv = await http(stack, 'POST', `/v1/accounts/${b.accountId}/consumers/u-1/conversations`, { key: b.keys.sdk, body: { channel: 'app' } });
    assert.equal(conv.status, 201, conv.text);
    assert.equal(conv.body.routedBy, 'campaign');
    routedConversation = conv.body.conversationId;
    const said = await http(stack, 'POST', `/v1/accounts/${b.accountId}/conversations/${routedConversation}/messages`, { key: b.keys.sdk, body: { from: 'consumer', text: 'hi' } });
    assert.ok(said.status < 300, said.text);
    const report = (await http(stack, 'GET', `/v1/accounts/${b.accountId}/reports/campaigns/${campaignId}`, { key: b.keys.campaign_manager })).body;
    assert.equal(report.replied, 1);
    assert.equal(report.read, 1);
    await page.locator('#funnel [data-stage="replied"]', { hasText: '1' }).waitFor({ timeout: 15_000 });
    for (const s of ['attempted', 'sent', 'failed', 'delivered', 'read', 'replied', 'expired', 'cancelled']) {
      assert.equal(await stage(s), String(report[s]), `funnel ${s}`);
    }

    // per day: today's row counts the three sends
    const today = new Date().toISOString().slice(0, 10);
    const day = (s: string) => page.locator(`#per-day tr[data-day="${today}"] [data-stage="${s}"]`);
    await day('replied').filter({ hasText: '1' }).waitFor();
    assert.deepEqual(
      [await day('sent').innerText(), await day('delivered').innerText(), await day('read').innerText()],
      ['3', String(report.delivered), '1'],
    );
    assert.equal(await page.locator('#per-day-chart').count(), 1);

    // the Temporal UI link points at this campaign's workflow
    const href = await page.locator('#campaign-page .temporal-link').getAttribute('href');
    assert.ok(href!.startsWith(`${stack.config.temporal.uiUrl}/namespaces/default/workflows?query=`), href!);
    assert.ok(decodeURIComponent(href!).includes(`WorkflowId="campaign/${b.accountId}/${campaignId}"`), href!);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // the CSV comes through the authenticated fetch as a download
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    assert.equal(download.suggestedFilename(), `campaign-${campaignId}-messages.csv`);
    const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    assert.match(csv[0]!, /^messageId,consumerId,status,errorCode/);
    assert.deepEqual(csv.slice(1).map((l) => l.split(',')[1]).sort(), ['u-1', 'u-2', 'u-3', 'u-410', 'u-never']);

    // and the list has it
    await page.click('nav >> text=Campaigns');
    await page.locator(`#campaigns tr[data-campaign-id="${campaignId}"]`, { hasText: 'Spring offer' }).waitFor();
  });

  it('manages handoffs, with conflicts shown by field', async () => {
    await page.click('nav >> text=Handoffs');
    await page.getByText('No handoffs yet.').waitFor();
    const fill = async (name: string, channels: string) => {
      await page.fill('#f-name', name);
      await page.fill('#f-channels', channels);
      await page.fill('#f-skill', 'support');
      await page.fill('#f-message-text', 'We can help in the app 📱');
      await page.fill('#f-lookbackSeconds', '7200');
      await page.click('#handoff-form button[type=submit]');
    };
    await fill('IVR main', 'app, sms');
    await page.locator('[data-error-for="channels"]', { hasText: /app/ }).waitFor();
    assert.match(await text('#handoff-form .form-errors'), /CHANNEL_CONFLICT/);
    await fill('IVR main', 'app');
    await page.locator('#handoffs tr', { hasText: 'IVR main' }).waitFor();
    await fill('IVR main', 'app');
    await page.locator('[data-error-for="name"]', { hasText: /already in use/ }).waitFor();

    const list = async () => (await http(stack, 'GET', `/v1/accounts/${b.accountId}/handoffs`, { key: b.keys.campaign_manager })).body.handoffs;
    const [created] = await list();
    await page.click(`#handoffs tr[data-handoff-id="${created.handoffId}"] >> text=Edit`);
    await page.waitForURL(`**/console/#/handoffs/${created.handoffId}`);
    await page.getByText(`Edit “IVR main”`).waitFor();
    assert.equal(await page.inputValue('#f-skill'), 'support');
    await page.fill('#f-skill', 'care');
    await page.click('#handoff-form button[type=submit]');
    await page.waitForURL(/#\/handoffs$/);
    await page.locator(`#handoffs tr[data-handoff-id="${created.handoffId}"]`, { hasText: 'care' }).waitFor();
    assert.equal((await list())[0].skill, 'care');

    page.once('dialog', (d) => d.accept());
    await page.click(`#handoffs tr[data-handoff-id="${created.handoffId}"] >> text=Delete`);
    await page.getByText('Deleted “IVR main”.').waitFor();
    assert.deepEqual(await list(), []);
  });

  it('shows the agent the campaign behind a routed conversation, and "no campaign" otherwise', async () => {
    await page.click('#signout');
    await signIn(b.keys.agent);
    await page.waitForURL(/#\/agent$/);
    await page.fill('#conversation-id', routedConversation);
    await page.click('#agent-lookup button');
    await page.locator('#agent-campaign [data-testid="campaign-name"]', { hasText: 'Spring offer' }).waitFor();
    assert.match(await text('#agent-campaign'), /in-app-spring/);
    assert.match(await text('#agent-consumer'), /iPhone 15[\s\S]*iOS[\s\S]*US[\s\S]*Austin/);
    assert.match(await text('#agent-conversation'), new RegExp(routedConversation));
    const href = await page.locator('#agent-campaign .temporal-link').getAttribute('href');
    assert.ok(decodeURIComponent(href!).includes(`campaign/${b.accountId}/${campaignId}`), href!);

    const quiet = await http(stack, 'POST', `/v1/accounts/${b.accountId}/consumers/u-quiet/conversations`, { key: b.keys.sdk, body: { channel: 'app' } });
    assert.equal(quiet.body.routedBy, 'default');
    await page.goto(`/console/#/agent/${quiet.body.conversationId}`);
    await page.locator('[data-testid="no-campaign"]').waitFor();
    assert.match(await text('#agent-campaign'), /No campaign/);

    await page.goto('/console/#/agent/conv_missing');
    await page.getByText('No such conversation in this account.').waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
