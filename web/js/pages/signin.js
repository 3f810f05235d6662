import { api, clearSession, saveSession } from '../api.js';
import { h } from '../dom.js';
import { field, formErrors, showErrors } from '../forms.js';

/**
 * Checks the key against the account before keeping it: 401 is an unknown key, 404 a key of another
 * account; 403 is a good key whose role cannot list campaigns (an agent), which goes to the widget.
 */
export async function signinPage({ go }) {
  clearSession();
  const accountId = h('input', { name: 'accountId', autocomplete: 'username', required: true, spellcheck: false });
  const key = h('input', { name: 'key', type: 'password', autocomplete: 'current-password', required: true, spellcheck: false });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card narrow', novalidate: true },
    h('h1', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'An API key of the account. It is kept in this browser tab only (session storage).'),
    formErrors(),
    field('accountId', 'Account ID', accountId),
    field('key', 'API key', key),
    submit,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const s = { accountId: accountId.value.trim(), key: key.value.trim() };
    const missing = Object.entries(s).filter(([, v]) => !v).map(([path]) => ({ path, message: 'required' }));
    if (missing.length) return showErrors(form, { code: 'INVALID_REQUEST', message: 'both fields are required', errors: missing });
    submit.disabled = true;
    try {
      let landing = '/campaigns';
      try {
        await api('GET', '/campaigns', { query: { limit: 1 }, auth: s });
      } catch (err) {
        if (err.status === 403) landing = '/agent';
        else if (err.status === 401) throw Object.assign(err, { errors: [{ path: 'key', message: 'unknown or revoked key' }] });
        else if (err.status === 404) throw Object.assign(err, { errors: [{ path: 'accountId', message: 'this key belongs to another account' }] });
        else throw err;
      }
      saveSession(s);
      go(landing);
    } catch (err) {
      showErrors(form, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
