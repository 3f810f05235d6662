// Hash routes, so the API serves one static page and a reload keeps the place.
import { clearSession, session, setUnauthenticatedHandler } from './api.js';
import { h } from './dom.js';
import { agentPage } from './pages/agent.js';
import { campaignFormPage } from './pages/campaign-form.js';
import { campaignPage } from './pages/campaign.js';
import { campaignsPage } from './pages/campaigns.js';
import { handoffsPage } from './pages/handoffs.js';
import { signinPage } from './pages/signin.js';

const routes = [
  [/^\/signin$/, signinPage, { public: true }],
  [/^\/campaigns$/, campaignsPage],
  [/^\/campaigns\/new$/, campaignFormPage],
  [/^\/campaigns\/([^/]+)$/, campaignPage],
  [/^\/handoffs$/, handoffsPage],
  [/^\/handoffs\/([^/]+)$/, handoffsPage],
  [/^\/agent$/, agentPage],
  [/^\/agent\/([^/]+)$/, agentPage],
];

const view = document.getElementById('view');
/** The current page's clean-up (timers, charts): run before the next page renders. */
let leave = () => {};
let generation = 0;

export const go = (path) => {
  location.hash = `#${path}`;
};

function header() {
  const s = session();
  document.getElementById('nav').hidden = !s;
  document.getElementById('signout').hidden = !s;
  document.getElementById('who').textContent = s ? `account ${s.accountId}` : '';
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', location.hash.startsWith(a.getAttribute('href')) && (a.getAttribute('href') !== '#/campaigns' || !location.hash.startsWith('#/campaigns/new')));
}

async function render() {
  leave();
  leave = () => {};
  const mine = ++generation;
  const path = decodeURIComponent(location.hash.replace(/^#/, '').split('?')[0]) || '/campaigns';
  const [, page, opts] = routes.find(([re]) => re.test(path)) ?? [];
  header();
  if (!page) {
    view.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/campaigns' }, 'Campaigns')));
    return;
  }
  if (!opts?.public && !session()) {
    go(`/signin`);
    return;
  }
  const params = path.match(routes.find(([re]) => re.test(path))[0]).slice(1);
  const ctx = {
    params,
    go,
    /** false once the user has navigated away: async work must stop touching the page. */
    alive: () => mine === generation,
    onLeave: (fn) => {
      const prev = leave;
      leave = () => (prev(), fn());
    },
  };
  view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    const el = await page(ctx);
    if (ctx.alive()) view.replaceChildren(el);
    header();
  } catch (err) {
    if (ctx.alive()) view.replaceChildren(h('h1', {}, 'Something went wrong'), h('div', { class: 'notice error', role: 'alert' }, `${err.code ?? ''} ${err.message}`));
  }
}

setUnauthenticatedHandler(() => {
  clearSession();
  go('/signin');
});
document.getElementById('signout').addEventListener('click', () => {
  clearSession();
  go('/signin');
});
window.addEventListener('hashchange', render);
render();
