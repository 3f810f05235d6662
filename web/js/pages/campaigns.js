import { api } from '../api.js';
import { fmtNum, fmtTime, h } from '../dom.js';

const STATUSES = ['scheduled', 'dispatching', 'active', 'completed', 'cancelled', 'failed'];

export async function campaignsPage() {
  const status = h('select', { name: 'status' }, h('option', { value: '' }, 'any status'), STATUSES.map((s) => h('option', { value: s }, s)));
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const empty = h('p', { class: 'muted', hidden: true }, 'No campaigns yet.');
  let cursor = null;

  async function load(reset) {
    if (reset) {
      body.replaceChildren();
      cursor = null;
    }
    const page = await api('GET', '/campaigns', { query: { status: status.value, limit: 50, cursor } });
    for (const c of page.campaigns) {
      body.append(
        h(
          'tr',
          { dataset: { campaignId: c.campaignId } },
          h('td', {}, h('a', { href: `#/campaigns/${encodeURIComponent(c.campaignId)}` }, c.campaignName)),
          h('td', {}, h('span', { class: `status ${c.status}` }, c.status)),
          h('td', {}, c.skill),
          h('td', { class: 'num' }, fmtNum(c.counts.total)),
          h('td', { class: 'num' }, fmtNum(c.counts.sent)),
          h('td', { class: 'num' }, fmtNum(c.counts.failed)),
          h('td', {}, fmtTime(c.createdAt)),
        ),
      );
    }
    cursor = page.nextCursor;
    more.hidden = !cursor;
    empty.hidden = body.children.length > 0;
  }
  status.addEventListener('change', () => load(true));
  more.addEventListener('click', () => load(false));
  await load(true);
  return h(
    'section',
    {},
    h('div', { class: 'row' }, h('h1', {}, 'Campaigns'), h('a', { class: 'button', href: '#/campaigns/new' }, 'New campaign')),
    h('label', { class: 'inline' }, 'Status ', status),
    h(
      'table',
      { class: 'list', id: 'campaigns' },
      h('thead', {}, h('tr', {}, ['Name', 'Status', 'Skill', 'Recipients', 'Sent', 'Failed', 'Created'].map((t) => h('th', {}, t)))),
      body,
    ),
    empty,
    more,
  );
}
