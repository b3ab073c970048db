// A month of days as the WAI-ARIA date-picker grid: one tab stop (the focused day),
// arrows move by a day or a week, Home/End to the week's start or end, PageUp/PageDown
// by a month, Enter or Space chooses. Days with bookable sessions are marked (in the
// label too, not by colour alone); days before `first` or after `last` cannot be chosen.
// Weeks start on Monday. Day keys are YYYY-MM-DD (format.js).

import { h, replaceChildren, setText } from './dom.js';
import { addDays, formatDayKey, locale } from './format.js';
import { t } from './i18n.js';

const weekdayOf = (key) => (new Date(`${key}T12:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
const monthOf = (key) => key.slice(0, 7);

function addMonths(key, n) {
  const [y, m, d] = key.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + n, Math.min(d, last))).toISOString().slice(0, 10);
}

/** The first and last day of the six-week grid that shows `month` (YYYY-MM). */
export function gridRange(month) {
  const first = `${month}-01`;
  const start = addDays(first, -weekdayOf(first));
  return { start, end: addDays(start, 41) };
}

export class MonthCalendar {
  /** `onSelect(day)` when a day is chosen; `onMonth(month)` when another month shows. */
  constructor({ table, title, prev, next, onSelect, onMonth }) {
    Object.assign(this, { table, title, prev, next, onSelect, onMonth });
    // `marksFor`: the month whose marks have been read ('*': every month); until then a
    // day says no count, rather than "no free sessions" (it may have some).
    this.state = { month: '', focus: '', selected: '', today: '', first: '', last: '', marks: new Map(), marksFor: '' };
    prev.addEventListener('click', () => this.moveMonth(-1, false));
    next.addEventListener('click', () => this.moveMonth(1, false));
    table.addEventListener('keydown', (e) => this.onKey(e));
    table.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-day]');
      if (button && button.getAttribute('aria-disabled') !== 'true') this.choose(button.dataset.day);
    });
  }

  /** Sets what is shown; `marks` maps day keys to the number of bookable sessions. */
  update(changes) {
    Object.assign(this.state, changes);
    const s = this.state;
    if (!s.focus) s.focus = s.selected || s.first || s.today;
    if (!s.month) s.month = monthOf(s.focus);
    this.render();
  }

  inRange(day) {
    const { first, last } = this.state;
    return (!first || day >= first) && (!last || day <= last);
  }

  choose(day) {
    if (!this.inRange(day)) return;
    this.state.selected = day;
    this.state.focus = day;
    this.render();
    this.onSelect(day);
  }

  moveMonth(n, keepFocus) {
    const s = this.state;
    let focus = addMonths(s.focus || `${s.month}-01`, n);
    if (s.first && focus < s.first) focus = s.first;
    if (s.last && focus > s.last) focus = s.last;
    this.setFocus(focus, keepFocus);
  }

  setFocus(day, moveFocus = true) {
    const s = this.state;
    if (s.first && day < s.first) day = s.first;
    if (s.last && day > s.last) day = s.last;
    s.focus = day;
    const monthChanged = monthOf(day) !== s.month;
    s.month = monthOf(day);
    this.render();
    if (monthChanged) this.onMonth(s.month);
    if (moveFocus) this.table.querySelector(`button[data-day="${day}"]`)?.focus();
  }

  onKey(e) {
    const day = e.target.closest('button[data-day]')?.dataset.day;
    if (!day) return;
    const moves = {
      ArrowLeft: () => addDays(day, -1),
      ArrowRight: () => addDays(day, 1),
      ArrowUp: () => addDays(day, -7),
      ArrowDown: () => addDays(day, 7),
      Home: () => addDays(day, -weekdayOf(day)),
      End: () => addDays(day, 6 - weekdayOf(day)),
      PageUp: () => addMonths(day, e.shiftKey ? -12 : -1),
      PageDown: () => addMonths(day, e.shiftKey ? 12 : 1),
    };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    this.setFocus(move());
  }

  render() {
    const s = this.state;
    const [y, m] = s.month.split('-').map(Number);
    const monthName = new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(Date.UTC(y, m - 1, 15)));
    setText(this.title, monthName);
    const { start } = gridRange(s.month);
    this.prev.disabled = Boolean(s.first) && `${s.month}-01` <= s.first;
    this.next.disabled = Boolean(s.last) && gridRange(s.month).end >= s.last && monthOf(s.last) <= s.month;
    setText(this.prev, '‹');
    setText(this.next, '›');
    this.prev.setAttribute('aria-label', t('booking.cal.prev'));
    this.next.setAttribute('aria-label', t('booking.cal.next'));

    const head = h('tr', {}, Array.from({ length: 7 }, (_, i) => {
      const key = addDays(start, i);
      return h('th', { scope: 'col', abbr: formatDayKey(key, 'weekdayLong') },
        formatDayKey(key, 'weekdayShort'));
    }));
    const rows = [];
    for (let w = 0; w < 6; w++) {
      const cells = [];
      for (let d = 0; d < 7; d++) {
        const key = addDays(start, w * 7 + d);
        const inMonth = monthOf(key) === s.month;
        if (!inMonth) {
          cells.push(h('td', { role: 'gridcell', class: 'outside' }));
          continue;
        }
        const n = s.marks.get(key) || 0;
        const usable = this.inRange(key);
        const known = s.marksFor === '*' || s.marksFor === s.month;
        const label = [formatDayKey(key, 'day'),
          !usable ? t('booking.cal.not_bookable') : n ? t('booking.cal.slots', { n }) : known ? t('booking.cal.no_slots') : '']
          .filter(Boolean).join(', ');
        cells.push(h('td', { role: 'gridcell', 'aria-selected': key === s.selected ? 'true' : 'false' },
          h('button', {
            type: 'button',
            class: ['day-button', n && usable && 'has-slots', key === s.today && 'today'],
            'data-day': key,
            tabindex: key === s.focus ? '0' : '-1',
            'aria-label': label,
            'aria-disabled': usable ? null : 'true',
            'aria-current': key === s.today ? 'date' : null,
          }, h('span', { class: 'day-number', 'aria-hidden': 'true' }, String(Number(key.slice(8)))),
          n && usable ? h('span', { class: 'day-dot', 'aria-hidden': 'true' }) : null)));
      }
      rows.push(h('tr', {}, cells));
    }
    // Keep focus in the grid when re-rendering under it.
    const hadFocus = this.table.contains(document.activeElement);
    replaceChildren(this.table, h('thead', {}, head), h('tbody', {}, rows));
    if (hadFocus) this.table.querySelector(`button[data-day="${s.focus}"]`)?.focus();
  }
}
