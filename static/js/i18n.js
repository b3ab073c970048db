// German and English. Strings live in /i18n/<lang>.json; the language comes from the
// browser (navigator.languages) unless the visitor picked one with the switch, which is
// remembered in localStorage. Markup names its strings with data-i18n="key" (text) and
// data-i18n-attr="aria-label:key; placeholder:key2" (attributes).

import { h } from './dom.js';

export const LANGUAGES = ['de', 'en'];
const STORAGE_KEY = 'sprechstunde.lang';

let lang = 'de';
let strings = {};
const listeners = new Set();

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: fall back to the browser's language
  }
}

export function preferredLanguage() {
  // ?lang=en in the address wins: a screen without buttons (the lobby TV) is set up so.
  const asked = new URLSearchParams(location.search).get('lang');
  if (LANGUAGES.includes(asked)) return asked;
  const saved = stored();
  if (LANGUAGES.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language || '']) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

async function load(code) {
  const res = await fetch(`/i18n/${code}.json`, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`i18n/${code}.json: ${res.status}`);
  return res.json();
}

export function currentLanguage() {
  return lang;
}

/** The string for `key`, with {name} placeholders filled from `params`. A string that
 *  has plural forms ({"one": …, "other": …}) picks one by params.n. */
export function t(key, params = {}) {
  let entry = strings[key];
  if (entry === undefined) return key;
  if (typeof entry === 'object') {
    const form = new Intl.PluralRules(lang).select(Number(params.n ?? 0));
    entry = entry[form] ?? entry.other;
  }
  return entry.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** True when a string exists (e.g. a translated problem code). */
export function has(key) {
  return key in strings;
}

/** Fills [data-i18n] and [data-i18n-attr] below `root`. */
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const text = t(el.dataset.i18n);
    if (el.textContent !== text) el.textContent = text;
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n);
}

export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function setLanguage(code) {
  if (!LANGUAGES.includes(code)) return;
  strings = await load(code);
  lang = code;
  document.documentElement.lang = code;
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // not remembered; the switch still works for this page
  }
  translate();
  renderSwitch();
  for (const fn of listeners) fn(code);
}

function renderSwitch() {
  const holder = document.getElementById('lang-switch');
  if (!holder) return;
  if (!holder.firstChild) {
    holder.append(
      h('span', { class: 'sr-only', id: 'lang-switch-label' }),
      ...LANGUAGES.map((code) =>
        h('button', {
          type: 'button',
          class: 'lang-button',
          lang: code,
          dataset: { lang: code },
          onclick: () => setLanguage(code),
        }),
      ),
    );
    holder.setAttribute('role', 'group');
    holder.setAttribute('aria-labelledby', 'lang-switch-label');
  }
  holder.querySelector('#lang-switch-label').textContent = t('common.language');
  for (const button of holder.querySelectorAll('button')) {
    const code = button.dataset.lang;
    button.setAttribute('aria-pressed', String(code === lang));
    button.textContent = t(`common.language_${code}`); // each language by its own name
  }
}

/** Loads the preferred language and translates the page; call once at start. */
export async function initI18n() {
  const code = preferredLanguage();
  strings = await load(code);
  lang = code;
  document.documentElement.lang = code;
  translate();
  renderSwitch();
}
