// Shows API problems where they belong: next to the field a problem names (by its input
// name, e.g. "email" or "windows[0].start"), or at the top of the form otherwise. Problems
// read in the page's language from their code and field ("problem.invalid-field.email",
// else "problem.invalid-field"); only a code the page does not know shows the server's
// own detail.

import { h } from './dom.js';
import { t, has } from './i18n.js';

/** The message for a problem (an ApiError or {code, detail}). */
export function problemText(problem) {
  if (!problem) return '';
  if (problem.localized) return problem.localized; // already in the page's language (a check in the browser)
  if (problem.code === 'network') return t('problem.network');
  if (problem.status === 503) return t('problem.unavailable');
  if (problem.status === 429) return t('problem.too_many');
  if (problem.code && problem.field && has(`problem.${problem.code}.${problem.field}`)) {
    return t(`problem.${problem.code}.${problem.field}`);
  }
  if (problem.code && has(`problem.${problem.code}`)) return t(`problem.${problem.code}`);
  return problem.detail || problem.title || t('problem.generic');
}

/** The server's test of an e-mail address (api/json_input.cpp plausible_email), so the
 *  browser refuses exactly what the server would, before sending anything. */
export function plausibleEmail(e) {
  if (e.length < 3 || e.length > 254) return false;
  const at = e.lastIndexOf('@');
  if (at <= 0 || at > 64 || e.indexOf('@') !== at) return false;
  const domain = e.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  if (dot <= 0 || dot + 2 > domain.length) return false;
  if (/[\x00-\x20\x7f<>",;]/.test(e)) return false;
  return !domain.includes('..');
}

function errorId(form, name) {
  // getAttribute, not form.id: a form with a field named "id" answers form.id with that field.
  return `${form.getAttribute('id') || 'form'}-err-${name.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
}

export function clearProblems(form) {
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((id) => !id.includes('-err-'));
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    else el.removeAttribute('aria-describedby');
  }
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  const top = form.querySelector('.form-error');
  if (top) {
    top.textContent = '';
    top.hidden = true;
  }
}

/** Marks the field `name` invalid with `message`; false when the form has no such field. */
export function markField(form, name, message) {
  const field = form.elements.namedItem(name);
  const el = field instanceof RadioNodeList ? field[0] : field;
  if (!el || !(el instanceof HTMLElement)) return false;
  const id = errorId(form, name);
  form.querySelector(`#${CSS.escape(id)}`)?.remove();
  const note = h('p', { class: 'field-error', id, text: message });
  // Inside the field's own box when it has one, so the message stays under its field
  // in a grid instead of taking the next cell.
  const box = el.closest('.field');
  if (box) box.append(note);
  else (el.closest('label') || el).after(note);
  el.setAttribute('aria-invalid', 'true');
  const described = (el.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  if (!described.includes(id)) described.push(id);
  el.setAttribute('aria-describedby', described.join(' '));
  return true;
}

/** Marks every field of `problems` ([{field, …}]) at once and focuses the first; false
 *  when none of them is a field of the form. */
export function showProblems(form, problems) {
  clearProblems(form);
  const marked = problems.filter((p) => markField(form, p.field, problemText(p)));
  if (!marked.length) return false;
  const field = form.elements.namedItem(marked[0].field);
  (field instanceof RadioNodeList ? field[0] : field).focus();
  return true;
}

/** Shows `problem` in `form` and moves focus to the field it names (or the message). */
export function showProblem(form, problem, { fieldMap = {} } = {}) {
  clearProblems(form);
  const name = fieldMap[problem.field] ?? problem.field;
  const message = problemText(problem);
  if (name && markField(form, name, message)) {
    const field = form.elements.namedItem(name);
    (field instanceof RadioNodeList ? field[0] : field).focus();
    return;
  }
  showFormError(form, message);
}

export function showFormError(form, message) {
  let top = form.querySelector('.form-error');
  if (!top) {
    top = h('p', { class: 'form-error', role: 'alert', tabindex: '-1' });
    form.prepend(top);
  }
  top.textContent = message;
  top.hidden = false;
  top.focus();
}

/** Form fields as an object of trimmed strings (checkboxes as booleans). */
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'radio') {
      if (el.checked) out[el.name] = el.value;
    } else if (el.tagName !== 'BUTTON' && el.tagName !== 'FIELDSET') out[el.name] = el.value.trim();
  }
  return out;
}

/** Disables the form's submit buttons while `work` runs. */
export async function busy(form, work) {
  const buttons = Array.from(form.querySelectorAll('button[type="submit"], button:not([type])'));
  for (const b of buttons) b.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    for (const b of buttons) b.disabled = false;
    form.removeAttribute('aria-busy');
  }
}
