// Forms whose errors come from the API: every problem+json `errors[]` entry is shown next to the
// input for its path (or the nearest enclosing field), anything else in the form's summary box.
import { h } from './dom.js';

/** A labelled input with its own error slot; `path` is the API field path, e.g. 'message.text'. */
export function field(path, label, control, hint) {
  control.id ||= `f-${path.replaceAll('.', '-')}`;
  control.dataset.path = path;
  return h(
    'div',
    { class: 'field', dataset: { field: path } },
    h('label', { for: control.id }, label),
    control,
    hint ? h('small', { class: 'hint' }, hint) : null,
    h('div', { class: 'field-error', dataset: { errorFor: path }, role: 'alert' }),
  );
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field.invalid')) el.classList.remove('invalid');
  const summary = form.querySelector('.form-errors');
  if (summary) summary.replaceChildren();
}

function slotFor(form, path) {
  const parts = String(path).split('.');
  while (parts.length) {
    const slot = form.querySelector(`.field-error[data-error-for="${CSS.escape(parts.join('.'))}"]`);
    if (slot) return slot;
    parts.pop();
  }
  return null;
}

/** Shows an API error on the form; returns how many field errors found their input. */
export function showErrors(form, err) {
  clearErrors(form);
  const summary = form.querySelector('.form-errors');
  let placed = 0;
  const stray = [];
  for (const e of err.errors ?? []) {
    const slot = slotFor(form, e.path);
    if (!slot) {
      stray.push(`${e.path}: ${e.message}`);
      continue;
    }
    slot.textContent = slot.textContent ? `${slot.textContent}; ${e.message}` : e.message;
    const wrapper = slot.closest('.field');
    wrapper?.classList.add('invalid');
    wrapper?.querySelector('[data-path]')?.setAttribute('aria-invalid', 'true');
    placed++;
  }
  let headline = `${err.code}: ${err.message}`;
  if (err.code === 'RATE_LIMITED' && err.retryAfter) headline += ` — retry in ${err.retryAfter} s`;
  summary?.append(h('p', {}, headline), stray.length ? h('ul', {}, stray.map((s) => h('li', {}, s))) : null);
  form.querySelector('.field.invalid [data-path]')?.focus();
  return placed;
}

export const formErrors = () => h('div', { class: 'form-errors', role: 'alert' });

/** Optional text input value: trimmed, undefined when empty. */
export const opt = (el) => (el.value.trim() === '' ? undefined : el.value.trim());

/** A number input sent as typed, so the API (not the browser) judges it; undefined when empty. */
export function num(el) {
  const v = el.value.trim();
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}
