// The weekly office-hours editor of the expert dashboard: a form for one rule (camp,
// room or online link, weekly windows, slot length, buffer, seats, validity, exceptions)
// that asks the server for a preview of the resulting sessions while it is edited.
// Input names follow the rule's JSON paths ("windows[0].start"), so a problem the server
// names lands next to its field.

import { post } from './api.js';
import { h, replaceChildren, setText } from './dom.js';
import { WEEKDAYS, dayKey, formatDayShort, formatTime, todayKey, weekdayName } from './format.js';
import { problemText, showProblem, clearProblems } from './forms.js';
import { t } from './i18n.js';

const PREVIEW_DELAY_MS = 300;

export class RuleEditor {
  /** form: the <form>; catalog; expert: the signed-in expert's record. */
  constructor(form, { catalog, expert, preview }) {
    this.form = form;
    this.catalog = catalog;
    this.expert = expert;
    this.previewEl = preview;
    this.timer = 0;
    this.generation = 0;
    this.windows = form.querySelector('[data-list="windows"]');
    this.exceptions = form.querySelector('[data-list="exceptions"]');
    form.addEventListener('input', () => this.schedulePreview());
    form.addEventListener('change', (e) => {
      if (e.target.name === 'camp_id') this.fillRooms();
      if (e.target.name === 'place' || e.target.name === 'camp_id') this.showPlace();
      if (e.target.name?.endsWith('.type')) this.showExceptionTimes();
      this.schedulePreview();
    });
    form.querySelector('[data-add="window"]').addEventListener('click', () => {
      this.addWindow({ day: 'mon', start: '14:00', end: '16:00' }).querySelector('select').focus();
      this.schedulePreview();
    });
    form.querySelector('[data-add="exception"]').addEventListener('click', () => {
      this.addException({ type: 'day_off', date: todayKey(this.zone()) }).querySelector('select').focus();
      this.schedulePreview();
    });
  }

  zone() {
    return this.catalog.zoneOf(this.form.elements.camp_id.value);
  }

  /** Loads `rule` (the server's JSON) or a new one into the form. */
  load(rule) {
    const f = this.form.elements;
    const camps = this.expert.camps.length ? this.expert.camps : this.catalog.camps.map((c) => c.id);
    replaceChildren(f.camp_id, camps.map((id) => h('option', { value: id }, this.catalog.camp(id)?.name || id)));
    const r = rule || {
      id: '',
      camp_id: camps[0],
      room_id: '',
      online_url: '',
      windows: [{ day: 'mon', start: '14:00', end: '16:00' }],
      slot_minutes: 30,
      buffer_minutes: 0,
      seats: 1,
      valid_from: todayKey(this.catalog.zoneOf(camps[0])),
      valid_until: null,
      exceptions: [],
    };
    f.id.value = r.id;
    f.camp_id.value = r.camp_id;
    this.fillRooms();
    f.room_id.value = r.room_id || f.room_id.options[0]?.value || '';
    f.online_url.value = r.online_url || '';
    for (const radio of this.form.querySelectorAll('input[name="place"]')) {
      radio.checked = radio.value === (r.online_url ? 'online' : 'room');
    }
    f.slot_minutes.value = r.slot_minutes;
    f.buffer_minutes.value = r.buffer_minutes;
    f.seats.value = r.seats;
    f.valid_from.value = r.valid_from || '';
    f.valid_until.value = r.valid_until || '';
    this.windows.replaceChildren();
    for (const w of r.windows) this.addWindow(w);
    this.exceptions.replaceChildren();
    for (const e of r.exceptions || []) this.addException(e);
    this.showPlace();
    this.showExceptionTimes();
    clearProblems(this.form);
    this.preview();
  }

  fillRooms() {
    const f = this.form.elements;
    const camp = this.catalog.camp(f.camp_id.value);
    const current = f.room_id.value;
    replaceChildren(f.room_id, (camp ? camp.rooms : []).map((room) =>
      h('option', { value: room.id, selected: room.id === current }, t('rules.room_option', { room: room.name, n: room.capacity }))));
  }

  showPlace() {
    const online = this.form.querySelector('input[name="place"][value="online"]').checked;
    this.form.querySelector('[data-place="room"]').hidden = online;
    this.form.querySelector('[data-place="online"]').hidden = !online;
  }

  showExceptionTimes() {
    for (const row of this.exceptions.children) {
      const extra = row.querySelector('select').value === 'extra';
      for (const el of row.querySelectorAll('[data-extra]')) el.hidden = !extra;
    }
  }

  /** Renumbers the rows' input names after a row was added or removed. */
  renumber(list, prefix) {
    Array.from(list.children).forEach((row, i) => {
      for (const input of row.querySelectorAll('[data-part]')) {
        input.name = `${prefix}[${i}].${input.dataset.part}`;
        input.id = `${prefix}-${i}-${input.dataset.part}`;
      }
      for (const label of row.querySelectorAll('label[data-for]')) label.htmlFor = `${prefix}-${i}-${label.dataset.for}`;
      const remove = row.querySelector('button[data-remove]');
      remove.setAttribute('aria-label', t(prefix === 'windows' ? 'rules.remove_window_n' : 'rules.remove_exception_n', { n: i + 1 }));
    });
  }

  addWindow(w) {
    const row = h('li', { class: 'row' },
      h('div', { class: 'field' },
        h('label', { 'data-for': 'day', text: t('rules.day') }),
        h('select', { 'data-part': 'day' }, WEEKDAYS.map((d) => h('option', { value: d, selected: d === w.day }, weekdayName(d))))),
      h('div', { class: 'field' },
        h('label', { 'data-for': 'start', text: t('rules.from') }),
        h('input', { type: 'time', 'data-part': 'start', value: w.start, required: true })),
      h('div', { class: 'field' },
        h('label', { 'data-for': 'end', text: t('rules.until') }),
        h('input', { type: 'time', 'data-part': 'end', value: w.end, required: true })),
      h('button', { type: 'button', class: 'secondary', 'data-remove': '', text: t('rules.remove') }));
    row.querySelector('[data-remove]').addEventListener('click', () => {
      row.remove();
      this.renumber(this.windows, 'windows');
      this.form.querySelector('[data-add="window"]').focus();
      this.schedulePreview();
    });
    this.windows.append(row);
    this.renumber(this.windows, 'windows');
    return row;
  }

  addException(e) {
    const row = h('li', { class: 'row' },
      h('div', { class: 'field' },
        h('label', { 'data-for': 'type', text: t('rules.exception_type') }),
        h('select', { 'data-part': 'type' },
          h('option', { value: 'day_off', selected: e.type === 'day_off' }, t('rules.day_off')),
          h('option', { value: 'extra', selected: e.type === 'extra' }, t('rules.extra')))),
      h('div', { class: 'field' },
        h('label', { 'data-for': 'date', text: t('rules.date') }),
        h('input', { type: 'date', 'data-part': 'date', value: e.date, required: true })),
      h('div', { class: 'field', 'data-extra': '' },
        h('label', { 'data-for': 'start', text: t('rules.from') }),
        h('input', { type: 'time', 'data-part': 'start', value: e.start || '09:00' })),
      h('div', { class: 'field', 'data-extra': '' },
        h('label', { 'data-for': 'end', text: t('rules.until') }),
        h('input', { type: 'time', 'data-part': 'end', value: e.end || '10:00' })),
      h('button', { type: 'button', class: 'secondary', 'data-remove': '', text: t('rules.remove') }));
    row.querySelector('[data-remove]').addEventListener('click', () => {
      row.remove();
      this.renumber(this.exceptions, 'exceptions');
      this.form.querySelector('[data-add="exception"]').focus();
      this.schedulePreview();
    });
    this.exceptions.append(row);
    this.renumber(this.exceptions, 'exceptions');
    this.showExceptionTimes();
    return row;
  }

  /** The rule as the API takes it. */
  value() {
    const f = this.form.elements;
    const online = this.form.querySelector('input[name="place"][value="online"]').checked;
    const rows = (list) => Array.from(list.children).map((row) => {
      const out = {};
      for (const input of row.querySelectorAll('[data-part]')) out[input.dataset.part] = input.value;
      return out;
    });
    const rule = {
      expert_id: this.expert.id,
      camp_id: f.camp_id.value,
      room_id: online ? '' : f.room_id.value,
      online_url: online ? f.online_url.value.trim() : '',
      zone: this.zone(),
      windows: rows(this.windows),
      slot_minutes: Number(f.slot_minutes.value),
      buffer_minutes: Number(f.buffer_minutes.value || 0),
      seats: Number(f.seats.value),
      valid_from: f.valid_from.value,
      exceptions: rows(this.exceptions).map((e) => (e.type === 'extra' ? e : { type: e.type, date: e.date })),
    };
    if (f.valid_until.value) rule.valid_until = f.valid_until.value;
    return rule;
  }

  schedulePreview() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.preview(), PREVIEW_DELAY_MS);
  }

  async preview() {
    clearTimeout(this.timer);
    const generation = ++this.generation;
    const status = this.previewEl.querySelector('[data-preview="status"]');
    const list = this.previewEl.querySelector('[data-preview="list"]');
    try {
      const answer = await post('/api/v1/expert/rules/preview', this.value());
      if (generation !== this.generation) return; // an older answer overtaken by typing
      clearProblems(this.form);
      this.renderPreview(answer.sessions, status, list);
    } catch (err) {
      if (generation !== this.generation) return;
      list.replaceChildren();
      setText(status, t('rules.preview_invalid', { problem: problemText(err) }));
      if (err.field) showProblem(this.form, err);
    }
  }

  renderPreview(sessions, status, list) {
    const zone = this.zone();
    setText(status, t('rules.preview_count', { n: sessions.length }));
    const days = new Map();
    for (const s of sessions) {
      const key = dayKey(s.start, zone);
      if (!days.has(key)) days.set(key, []);
      days.get(key).push(s);
    }
    replaceChildren(list, Array.from(days.values()).slice(0, 10).map((day) =>
      h('li', {},
        h('strong', { text: `${formatDayShort(day[0].start, zone)}: ` }),
        day.map((s) => formatTime(s.start, zone)).join(', '))));
    if (days.size > 10) list.append(h('li', { class: 'muted', text: t('rules.preview_more', { n: days.size - 10 }) }));
  }

  stop() {
    clearTimeout(this.timer);
    this.generation += 1;
  }
}

/** A one-line summary of a saved rule: "Montag 14:00–16:00 · 30 Min. · Raum Kemnade". */
export function ruleSummary(rule, catalog) {
  const windows = rule.windows.map((w) => `${weekdayName(w.day)} ${w.start}–${w.end}`).join(', ');
  const camp = catalog.camp(rule.camp_id);
  const room = rule.room_id ? catalog.room(rule.room_id) : null;
  const place = rule.online_url ? t('session.online') : room ? room.name : '';
  return [
    windows,
    t('rules.slots_of', { n: rule.slot_minutes }),
    rule.seats > 1 ? t('rules.seats_n', { n: rule.seats }) : '',
    [place, camp ? camp.name : rule.camp_id].filter(Boolean).join(', '),
  ].filter(Boolean).join(' · ');
}
