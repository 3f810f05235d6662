import { api } from '../api.js';
import { fmtNum, h } from '../dom.js';
import { field, formErrors, num, opt, showErrors, clearErrors } from '../forms.js';
import { justCreated } from './campaign.js';

/** Consumer IDs from pasted text: one per line or comma separated. */
export function parseIds(text) {
  return text
    .split(/[\r\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The first column of a CSV file (quotes removed), without a consumerId header. */
function idsFromCsv(text) {
  const ids = text
    .split(/\r?\n/)
    .map((line) => line.split(',')[0].trim().replace(/^"(.*)"$/, '$1').replaceAll('""', '"'))
    .filter(Boolean);
  if (ids.length && /^(consumer[_ ]?id|id)$/i.test(ids[0])) ids.shift();
  return ids;
}

export async function campaignFormPage({ go }) {
  let handoffs = [];
  try {
    handoffs = (await api('GET', '/handoffs', { query: { limit: 1000 } })).handoffs;
  } catch {
    // a role that cannot read handoffs still creates campaigns without one
  }
  const input = (name, attrs = {}) => h('input', { name, ...attrs });
  const f = {
    campaignName: input('campaignName', { maxLength: 255 }),
    handoffId: h('select', { name: 'handoffId' }, h('option', { value: '' }, '— none —'), handoffs.map((x) => h('option', { value: x.handoffId }, x.name))),
    skill: input('skill', { placeholder: 'billing' }),
    engagementName: input('engagementName'),
    text: h('textarea', { name: 'message', rows: 3, placeholder: 'Hi 👋 tap to chat' }),
    lookbackSeconds: input('lookbackSeconds', { type: 'number', placeholder: '86400' }),
    loggedIn: input('loggedIn', { type: 'checkbox', checked: true }),
    loggedOut: input('loggedOut', { type: 'checkbox', checked: true }),
    consumers: h('textarea', { name: 'consumers', rows: 8, placeholder: 'u-1\nu-2, u-3', spellcheck: false }),
    file: input('consumersFile', { type: 'file', accept: '.txt,.csv,text/plain,text/csv' }),
    mps: input('messagesPerSecond', { type: 'number', placeholder: 'push config default' }),
    startAt: input('startAt', { type: 'datetime-local' }),
  };
  const count = h('small', { class: 'hint', id: 'consumer-count' }, '0 consumer IDs');
  const recount = () => (count.textContent = `${fmtNum(parseIds(f.consumers.value).length)} consumer IDs`);
  f.consumers.addEventListener('input', recount);
  f.file.addEventListener('change', async () => {
    const file = f.file.files?.[0];
    if (!file) return;
    const text = await file.text();
    const ids = /\.csv$/i.test(file.name) || file.type === 'text/csv' ? idsFromCsv(text) : parseIds(text);
    const sep = f.consumers.value.trim() ? '\n' : '';
    f.consumers.value = f.consumers.value.trimEnd() + sep + ids.join('\n');
    f.file.value = '';
    recount();
  });
  // a chosen handoff gives the push policy unless the user sets one here
  let policyTouched = false;
  for (const c of [f.loggedIn, f.loggedOut]) c.addEventListener('change', () => (policyTouched = true));

  const submit = h('button', { type: 'submit' }, 'Create campaign');
  const form = h(
    'form',
    { class: 'card', id: 'campaign-form', novalidate: true },
    h('h1', {}, 'New campaign'),
    formErrors(),
    field('campaignName', 'Campaign name', f.campaignName),
    field('handoffId', 'Handoff (optional)', f.handoffId, 'Gives defaults for skill, message, lookback, engagement and push policy.'),
    h('div', { class: 'cols' }, field('skill', 'Skill', f.skill), field('engagementName', 'Engagement name (optional)', f.engagementName)),
    field('message.text', 'Message', f.text, 'Plain text and emoji, up to 2000 characters.'),
    h('div', { class: 'cols' }, field('lookbackSeconds', 'Lookback (seconds)', f.lookbackSeconds), field('pacing.messagesPerSecond', 'Messages per second (optional)', f.mps)),
    h(
      'fieldset',
      { class: 'field', dataset: { field: 'pushPolicy' } },
      h('legend', {}, 'Push to consumers who are'),
      h('label', { class: 'inline', dataset: { path: 'pushPolicy.loggedIn' } }, f.loggedIn, ' logged in'),
      h('label', { class: 'inline', dataset: { path: 'pushPolicy.loggedOut' } }, f.loggedOut, ' logged out'),
      h('div', { class: 'field-error', dataset: { errorFor: 'pushPolicy' }, role: 'alert' }),
    ),
    field('consumers', 'Consumer IDs', f.consumers, 'One per line or comma separated.'),
    h('div', { class: 'row' }, h('label', { for: 'f-consumersFile' }, 'or add from a .txt/.csv file: '), Object.assign(f.file, { id: 'f-consumersFile' }), count),
    field('startAt', 'Start at (optional, your local time)', f.startAt),
    submit,
  );

  // One key per intended campaign: a retry after a lost answer gets the same campaign back.
  let idempotencyKey = crypto.randomUUID();
  form.addEventListener('input', () => (idempotencyKey = crypto.randomUUID()));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const handoffId = opt(f.handoffId);
    const mps = num(f.mps);
    let startAt = opt(f.startAt);
    if (startAt && !Number.isNaN(Date.parse(startAt))) startAt = new Date(startAt).toISOString();
    const body = {
      campaignName: f.campaignName.value,
      handoffId,
      skill: opt(f.skill),
      engagementName: opt(f.engagementName),
      message: f.text.value.trim() === '' ? undefined : { text: f.text.value },
      lookbackSeconds: num(f.lookbackSeconds),
      pushPolicy: handoffId && !policyTouched ? undefined : { loggedIn: f.loggedIn.checked, loggedOut: f.loggedOut.checked },
      consumers: parseIds(f.consumers.value).map((consumerId) => ({ consumerId })),
      pacing: mps === undefined ? undefined : { messagesPerSecond: mps },
      startAt,
    };
    submit.disabled = true;
    try {
      const created = await api('POST', '/campaigns', { body, headers: { 'Idempotency-Key': idempotencyKey } });
      justCreated.set(created.campaignId, created);
      go(`/campaigns/${encodeURIComponent(created.campaignId)}`);
    } catch (err) {
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
