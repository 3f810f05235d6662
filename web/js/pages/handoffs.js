import { api } from '../api.js';
import { fmtNum, h, notice } from '../dom.js';
import { field, formErrors, num, showErrors } from '../forms.js';

const channelList = (v) =>
  v
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The create/edit form; `existing` set means PATCH of that handoff. */
function handoffForm(existing, done) {
  const f = {
    name: h('input', { name: 'name', maxLength: 255, value: existing?.name ?? '' }),
    channels: h('input', { name: 'channels', value: existing?.channels.join(', ') ?? 'app', spellcheck: false }),
    skill: h('input', { name: 'skill', value: existing?.skill ?? '' }),
    engagementName: h('input', { name: 'engagementName', value: existing?.engagementName ?? '' }),
    text: h('textarea', { name: 'message', rows: 3 }),
    lookbackSeconds: h('input', { name: 'lookbackSeconds', type: 'number', value: existing?.lookbackSeconds ?? 86400 }),
    loggedIn: h('input', { name: 'loggedIn', type: 'checkbox', checked: existing?.pushPolicy.loggedIn ?? true }),
    loggedOut: h('input', { name: 'loggedOut', type: 'checkbox', checked: existing?.pushPolicy.loggedOut ?? true }),
  };
  f.text.value = existing?.message.text ?? '';
  const submit = h('button', { type: 'submit' }, existing ? 'Save changes' : 'Create handoff');
  const form = h(
    'form',
    { class: 'card', id: 'handoff-form', novalidate: true },
    h('h2', {}, existing ? `Edit “${existing.name}”` : 'New handoff'),
    formErrors(),
    field('name', 'Name', f.name),
    field('channels', 'Channels, by priority', f.channels, 'e.g. app — or sms, whatsapp (app cannot stand with sms or whatsapp).'),
    h('div', { class: 'cols' }, field('skill', 'Skill', f.skill), field('engagementName', 'Engagement name (optional)', f.engagementName)),
    field('message.text', 'Message', f.text),
    field('lookbackSeconds', 'Lookback (seconds)', f.lookbackSeconds),
    h(
      'fieldset',
      { class: 'field', dataset: { field: 'pushPolicy' } },
      h('legend', {}, 'Push to consumers who are'),
      h('label', { class: 'inline' }, f.loggedIn, ' logged in'),
      h('label', { class: 'inline' }, f.loggedOut, ' logged out'),
      h('div', { class: 'field-error', dataset: { errorFor: 'pushPolicy' }, role: 'alert' }),
    ),
    h('div', { class: 'row' }, submit, existing ? h('a', { href: '#/handoffs' }, 'Cancel') : null),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = {
      name: f.name.value,
      channels: channelList(f.channels.value),
      skill: f.skill.value.trim(),
      message: { text: f.text.value },
      lookbackSeconds: num(f.lookbackSeconds),
      pushPolicy: { loggedIn: f.loggedIn.checked, loggedOut: f.loggedOut.checked },
    };
    const engagement = f.engagementName.value.trim();
    // on create an empty engagement is left out; on edit it clears the stored one
    if (engagement || existing) body.engagementName = engagement || null;
    submit.disabled = true;
    try {
      const saved = existing
        ? await api('PATCH', `/handoffs/${encodeURIComponent(existing.handoffId)}`, { body })
        : await api('POST', '/handoffs', { body });
      done(saved);
    } catch (err) {
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export async function handoffsPage({ params, go }) {
  const editing = params[0];
  const flash = h('div');
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const empty = h('p', { class: 'muted', hidden: true }, 'No handoffs yet.');
  let cursor = null;

  const row = (x) =>
    h(
      'tr',
      { dataset: { handoffId: x.handoffId } },
      h('td', {}, x.name),
      h('td', {}, x.channels.join(', ')),
      h('td', {}, x.skill),
      h('td', {}, x.engagementName ?? '—'),
      h('td', { class: 'num' }, fmtNum(x.lookbackSeconds)),
      h('td', { class: 'message' }, x.message.text),
      h(
        'td',
        { class: 'actions' },
        h('a', { href: `#/handoffs/${encodeURIComponent(x.handoffId)}` }, 'Edit'),
        ' ',
        h(
          'button',
          {
            type: 'button',
            class: 'link danger',
            onclick: async () => {
              if (!confirm(`Delete handoff “${x.name}”?`)) return;
              try {
                await api('DELETE', `/handoffs/${encodeURIComponent(x.handoffId)}`);
                flash.replaceChildren(notice('ok', `Deleted “${x.name}”.`));
                body.querySelector(`tr[data-handoff-id="${CSS.escape(x.handoffId)}"]`)?.remove();
                empty.hidden = body.children.length > 0;
              } catch (err) {
                flash.replaceChildren(notice('error', `${err.code}: ${err.message}`));
              }
            },
          },
          'Delete',
        ),
      ),
    );

  async function load() {
    const page = await api('GET', '/handoffs', { query: { limit: 100, cursor } });
    body.append(...page.handoffs.map(row));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    empty.hidden = body.children.length > 0;
  }
  more.addEventListener('click', load);
  await load();

  let form;
  if (editing) {
    const existing = await api('GET', `/handoffs/${encodeURIComponent(editing)}`);
    form = handoffForm(existing, () => go('/handoffs'));
  } else {
    const created = (saved) => {
      body.append(row(saved));
      empty.hidden = true;
      flash.replaceChildren(notice('ok', `Created “${saved.name}”.`));
      const fresh = handoffForm(null, created);
      form.replaceWith(fresh);
      form = fresh;
    };
    form = handoffForm(null, created);
  }
  return h(
    'section',
    {},
    h('h1', {}, 'Handoffs'),
    flash,
    h(
      'table',
      { class: 'list', id: 'handoffs' },
      h('thead', {}, h('tr', {}, ['Name', 'Channels', 'Skill', 'Engagement', 'Lookback (s)', 'Message', ''].map((t) => h('th', {}, t)))),
      body,
    ),
    empty,
    more,
    form,
  );
}
