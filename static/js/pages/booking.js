// The booking page (/): browse sessions by camp, topic, expert and day; seats update live;
// book a seat or join the waitlist in a dialog; success shows the private manage link.

import { api, get, query, randomKey, seg } from '../api.js';
import { announce } from '../announce.js';
import { Catalog } from '../catalog.js';
import { h, reconcile, replaceChildren, setAttr, setText } from '../dom.js';
import { expertName, hasTopic, lateText, placeText, seatsText, sessionTitle, slotLabel, topicsText } from '../describe.js';
import { addDays, dayKey, formatDay, formatDayKey, formatTime, formatTimeRange, todayKey } from '../format.js';
import { clearProblems, formValues, markField, plausibleEmail, showProblem, busy, problemText } from '../forms.js';
import { initI18n, onLanguageChange, t, currentLanguage } from '../i18n.js';
import { LiveFeed } from '../live.js';
import { SessionStore, byStart } from '../sessions.js';
import { hasFreeSeat, heldForWalkin, windowOpen, windowTimer } from '../bookable.js';
import { MonthCalendar, gridRange } from '../calendar.js';
import { googleCalendarUrl, outlookCalendarUrl } from '../calendar-links.js';
import { BOOKINGS_KEY, myBookingIn, myBookings, rememberBooking } from '../my-bookings.js';

const RANGE_DAYS = 14;
const HOME_ZONE = 'Europe/Berlin';
const DAY_MS = 86400000;

const store = new SessionStore();
// Everything chosen is in the URL (?camp=&topic=&expert=&language=&date=), so a view can be shared.
const filters = { camp: '', topic: '', expert: '', language: '', date: '' };
let horizonDays = 56; // the server's booking.horizon_days, learnt from bookable_from
let calendar;
let monthGeneration = 0;
let catalog;
let live;
let loadGeneration = 0;
let loaded = false; // the first HTTP answer is in: sessions still without a window are asked for
let shownDay = '';

const el = {
  filters: document.getElementById('filters'),
  camp: document.getElementById('f-camp'),
  topic: document.getElementById('f-topic'),
  expert: document.getElementById('f-expert'),
  language: document.getElementById('f-language'),
  showAll: document.getElementById('show-all'),
  days: document.getElementById('days'),
  status: document.getElementById('results-status'),
  liveStatus: document.getElementById('live-status'),
  dialog: document.getElementById('book-dialog'),
  dialogTitle: document.getElementById('book-title'),
  slot: document.getElementById('book-slot'),
  slotNote: document.getElementById('book-slot-note'),
  form: document.getElementById('book-form'),
  submit: document.getElementById('book-submit'),
  done: document.getElementById('book-done'),
  doneText: document.getElementById('book-done-text'),
  manageLink: document.getElementById('book-manage-link'),
  ics: document.getElementById('book-ics'),
  icsLink: document.getElementById('book-ics-link'),
  mail: document.getElementById('book-mail'),
  copy: document.getElementById('book-copy'),
  copied: document.getElementById('book-copied'),
  google: document.getElementById('book-google'),
  outlook: document.getElementById('book-outlook'),
  nextReminder: document.getElementById('book-next-reminder'),
  keepLink: document.getElementById('book-keep-link'),
  nextChange: document.getElementById('book-next-change'),
  mine: document.getElementById('mine'),
  mineList: document.getElementById('mine-list'),
};

// ------------------------------------------------------------------ filters

function zone() {
  // Before the catalogue is in (the early request below), every camp is guessed at home.
  return filters.camp && catalog ? catalog.zoneOf(filters.camp) : HOME_ZONE;
}

function rangeDays() {
  if (filters.date) return [filters.date];
  const first = todayKey(zone());
  return Array.from({ length: RANGE_DAYS }, (_, i) => addDays(first, i));
}

function readUrlUnchecked() {
  const params = new URLSearchParams(location.search);
  for (const key of Object.keys(filters)) filters[key] = params.get(key) || '';
  if (!filters.date && params.get('day')) filters.date = params.get('day'); // the older name
}

function readUrl() {
  readUrlUnchecked();
  if (!['', 'de', 'en'].includes(filters.language)) filters.language = '';
  if (filters.camp && !catalog.camp(filters.camp)) filters.camp = '';
  if (filters.expert && !catalog.expert(filters.expert)) filters.expert = '';
  if (filters.topic && !catalog.topics.includes(filters.topic)) filters.topic = '';
  if (filters.date && !/^\d{4}-\d{2}-\d{2}$/.test(filters.date)) filters.date = '';
}

function writeUrl() {
  const url = `${location.pathname}${query(filters)}`;
  history.replaceState(null, '', url);
}

function option(value, label, selected) {
  return h('option', { value, selected: value === selected }, label);
}

function fillFilters() {
  replaceChildren(el.camp, option('', t('booking.all_camps'), filters.camp),
    catalog.camps.map((c) => option(c.id, campLabel(c), filters.camp)));
  replaceChildren(el.topic, option('', t('booking.all_topics'), filters.topic),
    catalog.topics.map((topic) => option(topic, topic, filters.topic)));
  const experts = catalog.experts.filter((e) =>
    (!filters.camp || e.camps.includes(filters.camp)) && (!filters.topic || e.topics.includes(filters.topic))
    && (!filters.language || e.languages.includes(filters.language)));
  if (filters.expert && !experts.some((e) => e.id === filters.expert)) filters.expert = '';
  replaceChildren(el.expert, option('', t('booking.all_experts'), filters.expert),
    experts.map((e) => option(e.id, e.name, filters.expert)));
  replaceChildren(el.language, option('', t('booking.all_languages'), filters.language),
    ['de', 'en'].map((code) => option(code, t(`common.language_${code}`), filters.language)));
  renderShowAll();
  renderWalkinLink();
}

/** With a camp chosen: "At <camp> right now? Walk in" to its queue (/walkin/<camp>). */
function renderWalkinLink() {
  const camp = filters.camp ? catalog.camp(filters.camp) : null;
  const link = document.getElementById('walkin-link');
  link.hidden = !camp;
  if (!camp) return;
  const a = document.getElementById('walkin-href');
  a.href = `/walkin/${seg(camp.id)}`;
  setText(a, t('booking.walkin', { camp: camp.name }));
}

function renderShowAll() {
  el.showAll.hidden = !filters.date;
  setText(el.showAll, t('booking.show_next_days', { n: RANGE_DAYS }));
}

function onFilterChange() {
  const values = formValues(el.filters);
  for (const key of ['camp', 'topic', 'expert', 'language']) filters[key] = values[key] || '';
  fillFilters();
  writeUrl();
  load();
  loadMonth();
}

function chooseDay(day) {
  filters.date = day;
  renderShowAll();
  writeUrl();
  load();
}

// ------------------------------------------------------------------ month view

function calendarBounds() {
  const first = todayKey(zone());
  return { today: first, first, last: addDays(first, horizonDays) };
}

/** Marks the days of the shown month that have bookable sessions (free seat, window open). */
async function loadMonth() {
  const generation = ++monthGeneration;
  const month = calendar.state.month;
  const { first, last } = calendarBounds();
  const { start, end } = gridRange(month);
  const from = start < first ? first : start;
  const to = end > last ? last : end;
  if (from > to) {
    calendar.update({ marks: new Map(), marksFor: month });
    return;
  }
  try {
    const data = await get(`/api/v1/sessions${query({
      from, to: addDays(to, 1), camp: filters.camp, expert: filters.expert, topic: filters.topic, free_only: 'true',
    })}`);
    if (generation !== monthGeneration) return;
    learnHorizon(data.sessions);
    const marks = new Map();
    for (const s of data.sessions) {
      if (!windowOpen(s) || !hasFreeSeat(s) || !speaksLanguage(s)) continue;
      const key = dayKey(s.start, s.zone);
      marks.set(key, (marks.get(key) || 0) + 1);
    }
    calendar.update({ marks, marksFor: month, ...calendarBounds() });
  } catch {
    // Without marks the month still works: a chosen day lists its sessions.
  }
}

function learnHorizon(sessions) {
  const s = sessions.find((x) => x.bookable_from);
  if (s) horizonDays = Math.round((Date.parse(s.start) - Date.parse(s.bookable_from)) / DAY_MS);
}

function speaksLanguage(s) {
  if (!filters.language) return true;
  const expert = catalog.expert(s.expert_id);
  return Boolean(expert && expert.languages.includes(filters.language));
}

/** The camp's name, with its city only when the name does not already say it. */
function campLabel(c) {
  return !c.city || c.name.includes(c.city) ? c.name : `${c.name} (${c.city})`;
}

// ------------------------------------------------------------------ data

function visible(s) {
  // Only what can be asked for now: the window closes at bookable_until (a timer re-renders then).
  if (!windowOpen(s)) return false;
  if (filters.camp && s.camp_id !== filters.camp) return false;
  if (filters.expert && s.expert_id !== filters.expert) return false;
  if (!speaksLanguage(s)) return false;
  if (!hasTopic(s, filters.topic, catalog)) return false;
  return rangeDays().includes(dayKey(s.start, s.zone));
}

function viewsFor() {
  if (filters.expert) return { expert: { type: 'expert', expert: filters.expert } };
  const views = {};
  for (const day of rangeDays()) {
    views[`day:${day}`] = filters.camp ? { type: 'camp_day', camp: filters.camp, date: day } : { type: 'hub_day', date: day };
  }
  return views;
}

function sessionsUrl(days) {
  return `/api/v1/sessions${query({
    from: days[0],
    to: addDays(days[days.length - 1], 1),
    camp: filters.camp,
    expert: filters.expert,
    topic: filters.topic,
  })}`;
}

// The first list is asked for together with the strings and the catalogue, from the URL as
// it stands; load() takes that answer when the checked filters still ask the same.
const early = { url: '', answer: null };

function askEarly() {
  readUrlUnchecked();
  early.url = sessionsUrl(rangeDays());
  early.answer = get(early.url);
  early.answer.catch(() => {}); // load() asks again if it is used at all
}

async function load() {
  const generation = ++loadGeneration;
  const days = rangeDays();
  shownDay = todayKey(zone());
  setText(el.status, t('common.loading'));
  live.watchOnly(viewsFor());
  try {
    const url = sessionsUrl(days);
    const data = await (early.url === url ? early.answer.catch(() => get(url)) : get(url));
    early.url = '';
    if (generation !== loadGeneration) return;
    store.replace(data.sessions, () => true);
    learnHorizon(data.sessions);
    loaded = true;
  } catch (err) {
    if (generation !== loadGeneration) return;
    setText(el.status, problemText(err));
    return;
  }
  render();
}

// Sessions that reached the page only through the live feed lack their booking window
// (the feed does not carry it): read them once over HTTP.
const windowless = new Set();
let windowFetch = 0;

function askForWindows() {
  if (!loaded) return;
  for (const s of store.values()) if (!s.bookable_until && s.status === 'open') windowless.add(s.id);
  if (!windowless.size || windowFetch) return;
  windowFetch = setTimeout(async () => {
    const ids = Array.from(windowless).slice(0, 20);
    for (const id of ids) windowless.delete(id);
    const answers = await Promise.allSettled(ids.map((id) => get(`/api/v1/sessions/${seg(id)}`)));
    windowFetch = 0;
    for (const a of answers) if (a.status === 'fulfilled') store.apply(a.value);
    render();
  }, 200);
}

function onSnapshot(id, sessions) {
  if (id === 'expert') store.replace(sessions, (s) => s.expert_id === filters.expert);
  else if (id.startsWith('day:')) {
    const day = id.slice(4);
    store.replace(sessions, (s) => dayKey(s.start, s.zone) === day);
  }
  render();
  askForWindows();
}

function onChanges(changes) {
  const news = [];
  let changed = false;
  for (const { session } of changes) {
    const before = store.get(session.id);
    const wasVisible = before ? visible(before) : false;
    const old = store.apply(session);
    if (old === undefined) continue;
    changed = true;
    const now = store.get(session.id);
    const isVisible = now ? visible(now) : false;
    if (isVisible && !wasVisible) news.push(t('booking.live.new', { slot: shortLabel(now) }));
    else if (!isVisible && wasVisible) news.push(t('booking.live.gone', { slot: shortLabel(before) }));
    else if (isVisible && before && before.seats_free !== now.seats_free) {
      news.push(t('booking.live.seats', { slot: shortLabel(now), seats: seatsText(now) }));
    }
    if (openSessionId === session.id) renderDialogSlot();
  }
  if (changed) render(); // in place: late notes and seat counts change without moving anything
  askForWindows();
  for (const message of news.slice(0, 3)) announce(message);
  if (news.length > 3) announce(t('booking.live.more', { n: news.length - 3 }));
}

function shortLabel(s) {
  return `${formatDay(s.start, s.zone)} ${formatTimeRange(s.start, s.end, s.zone)}, ${sessionTitle(s, catalog)}`;
}

// ------------------------------------------------------------------ rendering

function render() {
  const sessions = store.values().filter(visible).sort(byStart);
  const mode = filters.date ? 'expert' : 'day';
  if (el.days.dataset.mode !== mode) {
    el.days.replaceChildren();
    el.days.dataset.mode = mode;
  }
  if (mode === 'expert') renderByExpert(sessions);
  else renderByDay(sessions);
  const n = sessions.length;
  if (filters.date) {
    const date = formatDayKey(filters.date, 'day');
    setText(el.status, n ? t('booking.count_on', { n, date }) : t('booking.none_on', { date }));
  } else {
    setText(el.status, n ? t('booking.count', { n }) : t('booking.none'));
  }
  windows.reschedule();
  document.body.dataset.ready = 'true';
}

/** A chosen day: compact time buttons, grouped by the expert (or host) one meets. */
function renderByExpert(sessions) {
  const groups = new Map();
  for (const s of sessions) {
    if (!groups.has(s.expert_id)) groups.set(s.expert_id, []);
    groups.get(s.expert_id).push(s);
  }
  reconcile(el.days, Array.from(groups.entries()), {
    keyOf: ([id]) => id,
    create: ([id]) => {
      const headingId = `expert-${id}`;
      return h('section', { class: 'expert-group', 'aria-labelledby': headingId },
        h('h3', { id: headingId, class: 'expert-name' }, h('a')),
        h('p', { class: 'expert-about' }),
        h('ul', { class: 'times', role: 'list' }));
    },
    update: (node, [id, list]) => {
      const expert = catalog.expert(id);
      const name = node.querySelector('h3 a');
      setText(name, expert ? expert.name : id);
      name.href = `/experts/${encodeURIComponent(id)}`;
      setText(node.querySelector('.expert-about'), expert
        ? [expert.title, expert.languages.map((code) => t(`common.language_${code}`)).join(', ')].filter(Boolean).join(' · ')
        : '');
      reconcile(node.querySelector('ul'), list, { keyOf: (s) => s.id, create: createTime, update: updateTime });
    },
  });
}

function createTime() {
  // The accessible name is the visible text with what it leaves implicit (the action, the
  // day, whom) around it, so speech users can say what they see.
  const button = h('button', { type: 'button', class: 'slot-button time-button' },
    h('span', { class: 'sr-only time-action' }),
    h('span', { class: 'time-at' }),
    h('span', { class: 'time-title' }),
    h('span', { class: 'slot-seats' }),
    h('span', { class: 'time-place' }),
    h('span', { class: 'sr-only time-who' }));
  button.addEventListener('click', () => slotClicked(button));
  return h('li', { class: 'time-slot' }, button);
}

function updateTime(node, s) {
  node.dataset.sessionId = s.id;
  const button = node.querySelector('button');
  const full = !hasFreeSeat(s);
  setText(button.querySelector('.time-at'), formatTimeRange(s.start, s.end, s.zone));
  const title = button.querySelector('.time-title');
  setText(title, s.kind === 'event' ? sessionTitle(s, catalog) : '');
  title.hidden = s.kind !== 'event';
  const seats = button.querySelector('.slot-seats');
  // A seat offered at the camp: neither a seat nor a waitlist place until the offer ends.
  const held = heldForWalkin(s);
  // The founder's own seat (or waitlist place) booked in this browser is theirs, not
  // "fully booked": the button opens it.
  const mine = myBookingIn(s.id);
  setText(seats, mine ? mineText(mine) : full && !held ? `${seatsText(s)} · ${t('booking.waitlist')}` : seatsText(s));
  seats.classList.toggle('full', s.seats_free === 0 && !mine);
  seats.classList.toggle('own', Boolean(mine));
  setText(button.querySelector('.time-place'), placeText(s, catalog, { withCamp: !filters.camp }));
  button.classList.toggle('waitlist', full && !held && !mine);
  button.classList.toggle('own', Boolean(mine));
  button.disabled = held && !mine;
  const action = mine ? t('booking.mine.open') : full ? t('booking.waitlist') : t('booking.book');
  setText(button.querySelector('.time-action'), `${action}, ${formatDay(s.start, s.zone)}, `);
  setText(button.querySelector('.time-who'), `, ${expertName(s, catalog)}`);
}

function renderByDay(sessions) {
  const groups = new Map();
  for (const s of sessions) {
    const key = dayKey(s.start, s.zone);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(s);
  }
  reconcile(el.days, Array.from(groups.entries()), {
    keyOf: ([day]) => day,
    create: ([day]) => {
      const headingId = `day-${day}`;
      return h('section', { class: 'day', 'aria-labelledby': headingId },
        h('h3', { id: headingId, class: 'day-title' }),
        h('ul', { class: 'slots', role: 'list' }));
    },
    update: (node, [day, list]) => {
      setText(node.querySelector('h3'), formatDayKey(day, 'day'));
      reconcile(node.querySelector('ul'), list, { keyOf: (s) => s.id, create: createCard, update: updateCard });
    },
  });
}

// A slot disappears the moment its booking window closes; an open dialog says so.
const windows = windowTimer(() => store.values(), () => {
  render();
  if (openSessionId && !finalBooking) renderDialogSlot();
});

function createCard() {
  const button = h('button', { type: 'button', class: 'slot-button' });
  button.addEventListener('click', () => slotClicked(button));
  return h('li', { class: 'slot-card' },
    h('p', { class: 'slot-time' }, h('time')),
    h('div', { class: 'slot-main' },
      h('p', { class: 'slot-title' }),
      h('p', { class: 'slot-topics' }),
      h('p', { class: 'slot-place' }),
      h('p', { class: 'slot-late', hidden: true })),
    h('p', { class: 'slot-seats' }),
    button);
}

function updateCard(node, s) {
  node.dataset.sessionId = s.id;
  const time = node.querySelector('time');
  setAttr(time, 'datetime', s.start);
  setText(time, formatTimeRange(s.start, s.end, s.zone));
  const expert = catalog.expert(s.expert_id);
  setText(node.querySelector('.slot-title'), sessionTitle(s, catalog));
  const topics = [s.kind === 'event' ? expert?.name : expert?.title, topicsText(s, catalog)].filter(Boolean).join(' · ');
  setText(node.querySelector('.slot-topics'), topics);
  setText(node.querySelector('.slot-place'), placeText(s, catalog));
  const late = node.querySelector('.slot-late');
  setText(late, lateText(s));
  late.hidden = !s.late_minutes;
  const seats = node.querySelector('.slot-seats');
  const mine = myBookingIn(s.id);
  setText(seats, mine ? mineText(mine) : seatsText(s));
  seats.classList.toggle('full', s.seats_free === 0 && !mine);
  seats.classList.toggle('own', Boolean(mine));
  const button = node.querySelector('button');
  const held = heldForWalkin(s);
  const full = !hasFreeSeat(s) && !held;
  const action = mine ? t('booking.mine.open') : full ? t('booking.waitlist') : t('booking.book');
  setText(button, action);
  button.classList.toggle('waitlist', full && !mine);
  button.classList.toggle('own', Boolean(mine));
  button.disabled = held && !mine;
  setAttr(button, 'aria-label', slotLabel(s, catalog, action));
}

/** "Your seat" or "You are on the waitlist": a session this browser booked. */
function mineText(mine) {
  return mine.status === 'waitlisted' ? t('booking.mine.waitlisted') : t('booking.mine.seat');
}

/** A slot's button: the founder's own booking opens its page, any other the booking form. */
function slotClicked(button) {
  const key = button.closest('li').dataset.key; // the session's id
  const mine = myBookingIn(key);
  if (mine) location.assign(mine.manage_url);
  else openBooking(key, button);
}

function renderLiveStatus(state) {
  const text = state === 'live' ? t('live.on') : state === 'connecting' ? t('live.connecting') : t('live.offline');
  setText(el.liveStatus, text);
  el.liveStatus.dataset.state = state;
}

// ------------------------------------------------------------------ booking dialog

let openSessionId = '';
let idempotency = { key: '', for: '' };
// After success the dialog is final: it shows the booking as made (the session as it was,
// and whether a seat or a waitlist place was taken), and live updates no longer change it.
let finalBooking = null;

function currentMode() {
  if (finalBooking) return finalBooking.status === 'waitlisted' ? 'waitlist' : 'book';
  const s = store.get(openSessionId);
  return s && !hasFreeSeat(s) && !heldForWalkin(s) ? 'waitlist' : 'book';
}

function openBooking(sessionId, trigger) {
  openSessionId = sessionId;
  finalBooking = null;
  idempotency = { key: '', for: '' };
  el.form.hidden = false;
  el.done.hidden = true;
  clearProblems(el.form);
  el.slotNote.hidden = true;
  renderDialogSlot();
  el.dialog.returnFocus = trigger;
  el.dialog.showModal();
  el.form.elements.name.focus();
}

function renderDialogSlot() {
  const s = finalBooking ? finalBooking.session : store.get(openSessionId);
  if (!s) return;
  const mode = currentMode();
  if (finalBooking) {
    setText(el.dialogTitle, mode === 'waitlist' ? t('booking.done.title_waitlisted') : t('booking.done.title_booked'));
  } else {
    setText(el.dialogTitle, mode === 'waitlist' ? t('booking.form.title_waitlist') : t('booking.form.title'));
  }
  const expert = catalog.expert(s.expert_id);
  replaceChildren(el.slot,
    h('p', { class: 'slot-summary-title', text: sessionTitle(s, catalog) }),
    // An event has a page of its own with its description (in a new tab: the form stays).
    s.kind === 'event' ? h('p', {}, h('a', { class: 'slot-details', href: `/events/${encodeURIComponent(s.id)}`,
      target: '_blank', rel: 'noopener', text: t('event.details') })) : null,
    h('p', {}, h('time', { datetime: s.start, text: `${formatDay(s.start, s.zone)}, ${formatTimeRange(s.start, s.end, s.zone)}` })),
    // Who one meets: name, title, languages and the profile (in a new tab: the form stays).
    expert ? h('p', { class: 'slot-who' }, [expert.name, expert.title].filter(Boolean).join(' – '),
      expert.languages.length ? ` · ${expert.languages.map((code) => t(`common.language_${code}`)).join(', ')}` : '',
      ' ', h('a', { href: `/experts/${encodeURIComponent(expert.id)}`, target: '_blank', rel: 'noopener', text: t('profile.view') })) : null,
    h('p', { text: placeText(s, catalog) }),
    // Once booked, the seat count is about other people and soon out of date: not shown.
    finalBooking ? null : h('p', { class: 'slot-seats', text: seatsText(s) }),
    s.late_minutes ? h('p', { class: 'slot-late', text: lateText(s) }) : null);
  if (finalBooking) return;
  setText(el.submit, mode === 'waitlist' ? t('booking.form.submit_waitlist') : t('booking.form.submit'));
  const closed = !windowOpen(s);
  const held = heldForWalkin(s);
  el.submit.disabled = closed || held;
  if (closed) {
    setText(el.slotNote, t('booking.form.closed_note'));
    el.slotNote.hidden = false;
  } else if (held) {
    setText(el.slotNote, t('booking.form.offered_note', { time: formatTime(s.offer.until, s.zone) }));
    el.slotNote.hidden = false;
  } else if (mode === 'waitlist') {
    setText(el.slotNote, t('booking.form.full_note'));
    el.slotNote.hidden = false;
  } else {
    el.slotNote.hidden = true;
  }
}

function keyFor(mode) {
  const target = `${openSessionId}|${mode}`;
  if (idempotency.for !== target) idempotency = { key: randomKey(), for: target };
  return idempotency.key;
}

async function submitBooking(event) {
  event.preventDefault();
  clearProblems(el.form);
  const values = formValues(el.form);
  // Every problem at once, at its field, before anything is sent.
  const missing = ['name', 'email', 'startup'].filter((name) => !values[name]);
  for (const name of missing) markField(el.form, name, t(`booking.form.required_${name}`));
  const badEmail = values.email && !plausibleEmail(values.email);
  if (badEmail) markField(el.form, 'email', t('problem.invalid-field.email'));
  if (!values.consent) markField(el.form, 'consent', t('booking.form.required_consent'));
  if (missing.length || badEmail || !values.consent) {
    el.form.querySelector('[aria-invalid="true"]').focus();
    return;
  }
  const mode = currentMode();
  const body = {
    name: values.name,
    email: values.email,
    startup: values.startup,
    consent: true,
    lang: currentLanguage(),
  };
  if (values.question) body.question = values.question;
  const path = `/api/v1/sessions/${seg(openSessionId)}/${mode === 'waitlist' ? 'waitlist' : 'bookings'}`;
  await busy(el.form, async () => {
    try {
      const created = await api('POST', path, { body, idempotencyKey: keyFor(mode) });
      showDone(created);
    } catch (err) {
      if (err.code === 'walkin-offer') {
        renderDialogSlot(); // the live update with the offer is on its way; the problem says why meanwhile
      } else if (err.code === 'full' || err.code === 'not-full') {
        // The seat count moved under us: the live update has (or will have) the truth.
        const s = store.get(openSessionId);
        if (s) store.apply({ ...s, seats_free: err.code === 'full' ? 0 : Math.max(1, s.seats_free), version: '' });
        renderDialogSlot();
      }
      showProblem(el.form, err, { fieldMap: { session_id: '' } });
    }
  });
}

async function showDone(created) {
  const booking = created.booking;
  finalBooking = { status: booking.status, session: { ...(booking.session || store.get(openSessionId)) } };
  el.slotNote.hidden = true;
  renderDialogSlot();
  const url = `${location.origin}/b/${created.manage_token}`;
  el.form.hidden = true;
  el.done.hidden = false;
  el.form.reset();
  const key = booking.status === 'waitlisted' ? 'booking.done.waitlisted' : 'booking.done.booked';
  setText(el.doneText, t(key, { name: booking.name }));
  setText(el.manageLink, url);
  el.manageLink.href = url;
  setText(el.copied, '');
  // Only when a mail server is configured is there an e-mail (and reminders) to speak of.
  el.mail.hidden = !created.confirmation_mail;
  setText(el.mail, created.confirmation_mail ? t('booking.done.mail', { email: booking.email }) : '');
  el.nextReminder.hidden = !created.confirmation_mail;
  // A waitlist place holds no seat: the link shows the place in line and leaves the
  // waitlist, there is nothing to move or to give back. (data-i18n, so a language switch keeps it.)
  const waiting = booking.status === 'waitlisted';
  const suffix = waiting ? '_waitlisted' : '';
  for (const [node, key] of [[el.keepLink, 'booking.done.keep_link'], [el.nextChange, 'booking.done.next_change'],
    [el.nextReminder, 'booking.done.next_reminder']]) {
    node.dataset.i18n = key + suffix;
    setText(node, t(key + suffix));
  }
  const s = finalBooking.session;
  const place = [placeText(s, catalog), s.online ? '' : catalog.camp(s.camp_id)?.address].filter(Boolean).join(', ');
  const title = waiting ? t('booking.done.calendar_title_waitlisted', { title: sessionTitle(s, catalog) }) : sessionTitle(s, catalog);
  const event = { title, start: s.start, end: s.end, location: place };
  el.google.href = googleCalendarUrl(event);
  el.outlook.href = outlookCalendarUrl(event);
  rememberBooking({ manage_url: url, start: s.start, end: s.end, zone: s.zone, session_id: s.id,
    status: booking.status, title: sessionTitle(s, catalog) });
  renderMine();
  render(); // the slot behind the dialog is now this founder's own
  el.doneText.focus();
  announce(el.doneText.textContent);
  const ics = `/api/v1/manage/${seg(created.manage_token)}/booking.ics`;
  el.ics.hidden = true;
  try {
    await api('HEAD', ics);
    el.icsLink.href = ics;
    el.ics.hidden = false;
  } catch {
    // No calendar file yet (404): the link stays hidden rather than leading nowhere.
  }
}

async function copyLink() {
  try {
    await navigator.clipboard.writeText(el.manageLink.href);
    setText(el.copied, t('booking.done.copied'));
  } catch {
    setText(el.copied, t('booking.done.copy_failed'));
    getSelection()?.selectAllChildren(el.manageLink);
  }
}

/** "My bookings": what this browser booked and has not ended, with times and manage links. */
function renderMine() {
  const list = myBookings();
  el.mine.hidden = list.length === 0;
  reconcile(el.mineList, list, {
    keyOf: (b) => b.manage_url,
    create: () => h('li', {}, h('time'), ' ', h('span', { class: 'mine-what' }), ' ', h('a', { href: '/' })),
    update: (node, b) => {
      const time = node.querySelector('time');
      time.setAttribute('datetime', b.start);
      const zone = b.zone || HOME_ZONE;
      setText(time, `${formatDay(b.start, zone)}, ${formatTimeRange(b.start, b.end, zone)}`);
      // What it is, and whether it is a seat or a waitlist place (older records have neither).
      setText(node.querySelector('.mine-what'), [b.title, b.status === 'waitlisted' ? t('booking.mine.waitlisted') : '']
        .filter(Boolean).join(' · '));
      const a = node.querySelector('a');
      a.href = b.manage_url;
      setText(a, t('booking.mine.open'));
      a.setAttribute('aria-label', `${t('booking.mine.open')}: ${time.textContent}`);
    },
  });
}

function closeDialog() {
  el.dialog.close();
}

el.dialog.addEventListener('close', () => {
  openSessionId = '';
  const back = el.dialog.returnFocus;
  if (back && back.isConnected) back.focus();
});

// ------------------------------------------------------------------ start

async function main() {
  askEarly();
  [, catalog] = await Promise.all([initI18n(), Catalog.load({ topics: true })]);
  readUrl();
  fillFilters();
  calendar = new MonthCalendar({
    table: document.getElementById('cal-grid'),
    title: document.getElementById('cal-title'),
    prev: document.getElementById('cal-prev'),
    next: document.getElementById('cal-next'),
    onSelect: chooseDay,
    onMonth: () => loadMonth(),
  });
  calendar.update({ selected: filters.date, ...calendarBounds() });
  el.showAll.addEventListener('click', () => {
    filters.date = '';
    calendar.update({ selected: '' });
    renderShowAll();
    writeUrl();
    load();
  });
  live = new LiveFeed({ onSnapshot, onChanges, onStatus: renderLiveStatus });
  live.start();
  el.filters.addEventListener('change', onFilterChange);
  el.filters.addEventListener('submit', (e) => e.preventDefault());
  el.form.addEventListener('submit', submitBooking);
  document.getElementById('book-cancel').addEventListener('click', closeDialog);
  document.getElementById('book-close').addEventListener('click', closeDialog);
  document.getElementById('book-x').addEventListener('click', closeDialog);
  el.copy.addEventListener('click', copyLink);
  renderMine();
  // Cancelled or moved on the manage page (another tab, or back to this one): follow it.
  const mineChanged = () => {
    renderMine();
    render();
  };
  window.addEventListener('storage', (e) => { if (e.key === null || e.key === BOOKINGS_KEY) mineChanged(); });
  window.addEventListener('pageshow', (e) => { if (e.persisted) mineChanged(); });
  onLanguageChange(() => {
    fillFilters();
    calendar.render();
    renderMine();
    render();
    renderLiveStatus(live.state);
    if (openSessionId) renderDialogSlot();
  });
  // Sessions that begin drop off the list; a new day shifts the range.
  setInterval(() => {
    if (todayKey(zone()) !== shownDay) {
      fillFilters();
      calendar.update(calendarBounds());
      load();
      loadMonth();
    } else {
      render();
    }
  }, 60000);
  loadMonth();
  await load();
  // /?…&session=<id> (the expert page's slot links) opens that slot's booking dialog.
  const wanted = new URLSearchParams(location.search).get('session');
  if (wanted) {
    writeUrl();
    const s = store.get(wanted);
    if (s && visible(s)) openBooking(wanted, null);
  }
}

main().catch((err) => {
  setText(el.status, problemText(err));
  document.body.dataset.ready = 'error';
});
