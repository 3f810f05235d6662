import { api, temporalLink } from '../api.js';
import { fmtNum, fmtTime, h, notice } from '../dom.js';

/** The funnel in the order a message moves through it; `of` is the bar's 100 %. */
const STAGES = [
  ['attempted', 'Attempted'],
  ['sent', 'Sent'],
  ['delivered', 'Delivered'],
  ['read', 'Read'],
  ['replied', 'Replied'],
  ['failed', 'Failed'],
  ['expired', 'Expired'],
  ['cancelled', 'Cancelled'],
  ['pending', 'Pending'],
];
const REASONS = {
  CONSUMER_NOT_REGISTERED: 'never logged into the app',
  OPEN_CONVERSATION: 'had an open conversation',
  CONSUMER_LOGGED_OUT: 'logged out, and the push policy excludes logged-out consumers',
  NO_PUSH_TOKEN: 'push unregistered',
  SDK_VERSION_UNSUPPORTED: 'app SDK older than the minimum',
  PUSH_REJECTED: 'the push provider refused for good',
  PUSH_PROVIDER_ERROR: 'the push provider kept failing after all retries',
};
/** campaignId → the create answer, for the page the form opens next. */
export const justCreated = new Map();
const LIVE = new Set(['scheduled', 'dispatching']);
const TERMINAL = new Set(['completed', 'cancelled', 'failed']);
/** Refresh period by status: every second while messages go out, slower while replies trickle in. */
const periodFor = (status) => (LIVE.has(status) ? 1000 : status === 'active' ? 5000 : null);

export async function campaignPage({ params, alive, onLeave }) {
  const id = params[0];
  const path = `/campaigns/${encodeURIComponent(id)}`;
  let campaign = await api('GET', path);

  const title = h('h1', {}, campaign.campaignName);
  const status = h('span', { class: 'status', id: 'campaign-status' });
  const meta = h('dl', { class: 'meta' });
  const funnel = h('div', { class: 'funnel', id: 'funnel' });
  const funnelNote = h('p', { class: 'muted small' });
  const reasons = h('tbody');
  const noReasons = h('p', { class: 'muted', hidden: true }, 'No failures.');
  const dayBody = h('tbody');
  const canvas = h('canvas', { id: 'per-day-chart', height: 220 });
  const dayNote = h('p', { class: 'muted small' });
  const flash = h('div');
  const cancel = h('button', { type: 'button', class: 'danger' }, 'Cancel campaign');
  const csv = h('button', { type: 'button', id: 'download-csv' }, 'Download recipients (CSV)');

  const bars = new Map(
    STAGES.map(([key, label]) => {
      const bar = h('div', { class: `bar ${key}` });
      const value = h('span', { class: 'value', dataset: { stage: key } }, '—');
      funnel.append(h('div', { class: 'stage' }, h('span', { class: 'label' }, label), h('div', { class: 'track' }, bar), value));
      return [key, { bar, value }];
    }),
  );

  function showCampaign(c) {
    status.textContent = c.status;
    status.className = `status ${c.status}`;
    const rows = [
      ['Campaign ID', c.campaignId],
      ['Skill', c.skill],
      ['Engagement', c.engagementName ?? '—'],
      ['Created', fmtTime(c.createdAt)],
      ['Started', fmtTime(c.startedAt)],
      ['Dispatched', fmtTime(c.dispatchedAt)],
      ['Lookback ends', fmtTime(c.expiresAt)],
      ['Completed', fmtTime(c.completedAt)],
    ];
    meta.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    cancel.hidden = TERMINAL.has(c.status);
  }

  function showReport(r) {
    const of = Math.max(r.attempted, 1);
    for (const [key] of STAGES) {
      const n = r[key] ?? 0;
      bars.get(key).value.textContent = fmtNum(n);
      bars.get(key).bar.style.width = `${(100 * n) / of}%`;
    }
    funnelNote.textContent = `Sent includes delivered, read and replied. Conversations created: ${fmtNum(r.conversationsCreated ?? 0)}.`;
    const entries = Object.entries(r.failureReasons ?? {}).sort((a, b) => b[1] - a[1]);
    reasons.replaceChildren(
      ...entries.map(([code, n]) =>
        h('tr', { dataset: { reason: code } }, h('td', {}, h('code', {}, code)), h('td', {}, REASONS[code] ?? ''), h('td', { class: 'num' }, fmtNum(n))),
      ),
    );
    noReasons.hidden = entries.length > 0;
  }

  /** The report endpoint has the funnel; the campaign's own counts are the fallback. */
  async function report() {
    try {
      return await api('GET', `/reports/campaigns/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err.status === 401) throw err;
      const k = campaign.counts;
      return { ...k, attempted: k.total, conversationsCreated: 0, failureReasons: {} };
    }
  }

  let chart;
  /** Events per UTC day from the per-recipient rows (each stage on the day it happened). */
  async function perDay() {
    const days = new Map();
    let cursor = null;
    let rows = 0;
    do {
      const page = await api('GET', `/reports/campaigns/${encodeURIComponent(id)}/messages`, { query: { limit: 1000, cursor } });
      if (!alive()) return;
      for (const m of page.messages) {
        rows++;
        for (const [stage, at] of [['sent', m.sentAt], ['delivered', m.deliveredAt], ['read', m.readAt], ['replied', m.repliedAt]]) {
          if (!at) continue;
          const day = at.slice(0, 10);
          const d = days.get(day) ?? days.set(day, { sent: 0, delivered: 0, read: 0, replied: 0 }).get(day);
          d[stage]++;
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    const labels = [...days.keys()].sort();
    dayBody.replaceChildren(
      ...labels.map((day) => {
        const d = days.get(day);
        return h('tr', { dataset: { day } }, h('td', {}, day), ['sent', 'delivered', 'read', 'replied'].map((k) => h('td', { class: 'num', dataset: { stage: k } }, fmtNum(d[k]))));
      }),
    );
    dayNote.textContent = labels.length ? `From ${fmtNum(rows)} recipients, as of ${new Date().toLocaleTimeString()}.` : 'Nothing sent yet.';
    if (!window.Chart) return;
    const series = ['sent', 'delivered', 'read', 'replied'];
    const colors = { sent: '#4c78a8', delivered: '#72b7b2', read: '#54a24b', replied: '#eeca3b' };
    const datasets = series.map((k) => ({ label: k, data: labels.map((day) => days.get(day)[k]), backgroundColor: colors[k] }));
    if (chart) {
      chart.data.labels = labels;
      chart.data.datasets = datasets;
      chart.update();
    } else {
      chart = new window.Chart(canvas, {
        type: 'bar',
        data: { labels, datasets },
        options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
    }
  }

  let timer;
  let lastStatus;
  let lastStamp;
  let loadingRows = null;
  async function tick() {
    try {
      campaign = await api('GET', path);
      const r = await report();
      if (!alive()) return;
      showCampaign(campaign);
      showReport(r);
      // The chart reads every row, so not every second while messages go out: when the phase
      // changes, and after dispatch whenever the stage counts moved (one load at a time).
      const stamp = [r.sent, r.delivered, r.read, r.replied].join();
      const due = campaign.status !== lastStatus || (!LIVE.has(campaign.status) && stamp !== lastStamp);
      if (due && !loadingRows) {
        lastStatus = campaign.status;
        lastStamp = stamp;
        loadingRows = perDay()
          .catch((err) => (dayNote.textContent = `Could not load the rows: ${err.message}`))
          .finally(() => (loadingRows = null));
      }
    } catch (err) {
      if (!alive()) return;
      flash.replaceChildren(notice('error', `Refresh failed: ${err.message}`));
    }
    const period = periodFor(campaign.status);
    if (period && alive()) timer = setTimeout(tick, period);
  }
  onLeave(() => {
    clearTimeout(timer);
    chart?.destroy();
  });

  csv.addEventListener('click', async () => {
    csv.disabled = true;
    try {
      const res = await api('GET', `/reports/campaigns/${encodeURIComponent(id)}/messages`, { accept: 'text/csv', raw: true });
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: `campaign-${id}-messages.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      flash.replaceChildren(notice('error', `Download failed: ${err.code} ${err.message}`));
    } finally {
      csv.disabled = false;
    }
  });
  cancel.addEventListener('click', async () => {
    if (!confirm(`Cancel “${campaign.campaignName}”? Pending recipients will not be sent the message.`)) return;
    try {
      await api('POST', `${path}/cancel`);
      clearTimeout(timer);
      await tick();
    } catch (err) {
      flash.replaceChildren(notice('error', `${err.code}: ${err.message}`));
    }
  });

  // what the create form left behind: accepted and refused consumers
  const created = justCreated.get(id);
  justCreated.delete(id);
  if (created) {
    const failed = created.failedConsumers ?? [];
    flash.append(
      notice(
        failed.length ? 'warn' : 'ok',
        `Accepted ${fmtNum(created.acceptedConsumers)} consumers`,
        failed.length ? `; refused ${fmtNum(failed.length)}: ` : '.',
        failed.slice(0, 20).map((f) => `${f.consumerId} (${f.errorCode}) `),
        failed.length > 20 ? '…' : '',
      ),
    );
  }

  await tick();
  return h(
    'section',
    { id: 'campaign-page' },
    h('div', { class: 'row' }, title, status),
    flash,
    h('div', { class: 'row actions' }, await temporalLink(campaign.workflowId), csv, cancel),
    meta,
    h('h2', {}, 'Funnel'),
    funnel,
    funnelNote,
    h('h2', {}, 'Failure reasons'),
    h('table', { class: 'list', id: 'failure-reasons' }, h('thead', {}, h('tr', {}, h('th', {}, 'Code'), h('th', {}, 'Meaning'), h('th', {}, 'Messages'))), reasons),
    noReasons,
    h('h2', {}, 'Per day'),
    h('div', { class: 'chart' }, canvas),
    h('table', { class: 'list', id: 'per-day' }, h('thead', {}, h('tr', {}, ['Day (UTC)', 'Sent', 'Delivered', 'Read', 'Replied'].map((t) => h('th', {}, t)))), dayBody),
    dayNote,
  );
}
