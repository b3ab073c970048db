// An expert's own calendars (private iCalendar addresses whose busy times keep clashing
// sessions from being offered): the list, masked, each with its last import or its last
// error in plain words; add one, "refresh now", remove one. Used by the expert dashboard
// (base /api/v1/expert/calendars) and, for any expert, by the admin page
// (/api/v1/admin/experts/<id>/calendars). The address is a secret: the page never shows
// it again after saving; the server only answers it masked.

import { del, get, post, seg } from './api.js';
import { h, reconcile, setText } from './dom.js';
import { formatTime } from './format.js';
import { busy, clearProblems, problemText, showProblem } from './forms.js';
import { has, t } from './i18n.js';

const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export class OwnCalendars {
  /** `root` holds .calendar-list, a form with input[name=url], a [data-action=refresh]
   *  button and a [role=status] line. */
  constructor(root, base) {
    this.root = root;
    this.base = base;
    this.data = null; // until the first read: "loading", never "no calendars"
    this.message = null; // makes the last result said in the status line
    this.list = root.querySelector('.calendar-list');
    this.form = root.querySelector('form');
    this.status = root.querySelector('[role="status"]');
    this.refreshButton = root.querySelector('[data-action="refresh"]');
    this.form.addEventListener('submit', (e) => this.add(e));
    this.refreshButton.addEventListener('click', () => this.refresh());
  }

  /** Another expert's calendars (the admin page): nothing of the last one stays on screen,
   *  and a reply still on its way for it is not drawn (each request checks its base). */
  setBase(base) {
    if (base === this.base) return;
    this.base = base;
    this.data = null;
    this.message = null;
    this.render();
  }

  async load() {
    const base = this.base;
    try {
      const data = await get(base);
      if (base !== this.base) return;
      this.data = data;
      this.render();
    } catch (err) {
      if (base === this.base) this.say(() => problemText(err));
    }
  }

  /** Draws the list and says the last result again, in the page's language (also after a
   *  language switch). */
  render() {
    const cals = this.data?.calendars || [];
    reconcile(this.list, cals, {
      keyOf: (c) => c.id,
      create: (c) => this.item(c),
      update: (li, c) => this.updateItem(li, c),
    });
    this.list.hidden = cals.length === 0;
    this.refreshButton.hidden = cals.length === 0;
    // No field for an address the server would refuse as one too many.
    const max = this.data?.max ?? 0;
    const full = max > 0 && cals.length >= max;
    for (const el of this.form.querySelectorAll('.add-calendar')) el.hidden = full;
    this.root.querySelector('.calendars-full').hidden = !full;
    setText(this.root.querySelector('.calendars-full'), t('calendars.full', { n: max }));
    // What the expert just did ("Calendar … removed.") stays until the next action; the
    // reload after it must not replace it at once with "no calendars".
    if (this.message) setText(this.status, this.message());
    else setText(this.status, !this.data ? t('common.loading') : cals.length ? '' : t('calendars.none'));
  }

  item(c) {
    const li = h('li', { class: 'calendar-item' },
      h('p', {}, h('code', { class: 'calendar-url' })),
      h('p', { class: 'calendar-state' }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', 'data-action': 'remove' })));
    li.querySelector('[data-action="remove"]').addEventListener('click', () => this.remove(li.cal));
    return li;
  }

  updateItem(li, c) {
    li.cal = c;
    setText(li.querySelector('.calendar-url'), c.url);
    const state = li.querySelector('.calendar-state');
    state.classList.toggle('calendar-error', !!c.error);
    setText(state, stateText(c));
    const remove = li.querySelector('[data-action="remove"]');
    setText(remove, t('calendars.remove'));
    remove.setAttribute('aria-label', t('calendars.remove_named', { url: c.url }));
  }

  async add(event) {
    event.preventDefault();
    clearProblems(this.form);
    const input = this.form.elements.namedItem('url');
    const url = input.value.trim();
    // The server takes https://, http:// and webcal:// addresses only; a bare word gets
    // that said here rather than a general "please check".
    if (!/^(https?|webcals?):\/\/[^\s/?#@]/i.test(url)) {
      showProblem(this.form, { code: 'invalid-field', field: 'url' });
      return;
    }
    await busy(this.form, async () => {
      let added;
      try {
        added = await post(this.base, { url });
        input.value = '';
        this.say(() => t('calendars.added'));
      } catch (err) {
        showProblem(this.form, err);
        return;
      }
      // The first import happens at once, so the expert sees whether the address works.
      await this.refresh({ added: added?.id });
    });
  }

  /** Reads every calendar now and says how that went: "updated" only when it was. */
  async refresh({ added = null } = {}) {
    const base = this.base;
    this.refreshButton.disabled = true;
    this.say(() => t('calendars.refreshing'));
    try {
      const data = await post(`${base}/refresh`);
      if (base !== this.base) return;
      this.data = data;
      const cals = data.calendars || [];
      const failed = cals.filter((c) => c.error);
      const fresh = added ? cals.find((c) => c.id === added) : null;
      if (fresh) {
        this.say(() => (fresh.error ? t('calendars.added_failed', { error: errorText(fresh) }) : t('calendars.added')));
      } else if (!failed.length) {
        this.say(() => t('calendars.refreshed'));
      } else if (failed.length === 1 && cals.length === 1) {
        this.say(() => t('calendars.refresh_failed_only', { error: errorText(failed[0]) }));
      } else {
        this.say(() => t('calendars.refresh_failed', { n: failed.length, total: cals.length }));
      }
      this.render();
    } catch (err) {
      if (base === this.base) this.say(() => problemText(err));
    } finally {
      this.refreshButton.disabled = false;
    }
  }

  async remove(c) {
    const base = this.base;
    try {
      await del(`${base}/${seg(c.id)}`);
      if (base !== this.base) return;
      this.say(() => t('calendars.removed', { url: c.url }));
      await this.load();
    } catch (err) {
      if (base === this.base) this.say(() => problemText(err));
    }
  }

  /** Says a result in the status line (a polite status region: screen readers hear it).
   *  `message` makes the text, so that it can be said again in another language. */
  say(message) {
    this.message = message;
    setText(this.status, message());
  }
}

/** The kind of a calendar's last failure: the server's code (`error_code`), or
 *  'unknown' for a failure recorded before the server sent codes. The server's English
 *  sentence (`error`) is never shown: the page says it in its own language. */
export function errorCode(c) {
  return c.error_code || 'unknown';
}

/** Why a calendar could not be read, in the page's language. */
export function errorText(c) {
  const code = errorCode(c);
  return t(has(`calendars.error.${code}`) ? `calendars.error.${code}` : 'calendars.error.unknown');
}

/** "Last imported 12:03, 4 busy times", or the last error in plain words. */
export function stateText(c) {
  const at = (v) => formatTime(v, ZONE);
  const imported = c.imported_at
    ? t('calendars.imported', { time: at(c.imported_at), n: c.busy_count })
    : '';
  if (c.error) {
    const failed = t('calendars.failed', { time: at(c.fetched_at), error: errorText(c) });
    return imported ? `${failed} ${t('calendars.still_in_force', { text: imported })}` : failed;
  }
  return imported || t('calendars.not_yet');
}
