// The manage page (/b/<token>): a founder's own booking, with its live status (a seat
// freed for the waitlist, the expert running late, a cancelled session), cancel,
// reschedule to another free slot of the same expert, and export or erase of their data.

import { api, get, post, query, seg } from '../api.js';
import { googleCalendarUrl, outlookCalendarUrl } from '../calendar-links.js';
import { announce } from '../announce.js';
import { Catalog } from '../catalog.js';
import { h, reconcile, setText } from '../dom.js';
import { expertName, lateText, placeText, seatsText, sessionTitle, slotLabel } from '../describe.js';
import { takesPlace } from '../bookable.js';
import { dayKey, formatDay, formatDayKey, formatTimeRange, todayKey } from '../format.js';
import { busy, clearProblems, problemText, showProblem } from '../forms.js';
import { initI18n, onLanguageChange, t } from '../i18n.js';
import { LiveFeed, compareVersions } from '../live.js';
import { byStart } from '../sessions.js';
import { MonthCalendar } from '../calendar.js';
import { updateBooking } from '../my-bookings.js';

const token = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
const base = `/api/v1/manage/${seg(token)}`;

let catalog;
let live;
let booking = null;
let refetchTimer = 0;
let erased = false;
let promoted = false; // seen moving from the waitlist to a seat while this page was open
let moveTarget = null;
let moveCalendar = null;
let moveChoices = []; // the sessions the booking can move to, all days
const DAY_MS = 86400000;

const $ = (id) => document.getElementById(id);
const el = {
  status: $('manage-status'),
  booking: $('booking'),
  title: $('booking-title'),
  badge: $('booking-badge'),
  late: $('booking-late'),
  when: $('booking-when'),
  where: $('booking-where'),
  expert: $('booking-expert'),
  seats: $('booking-seats'),
  plain: $('booking-plain'),
  address: $('booking-address'),
  addressLabel: $('booking-address-label'),
  addressText: $('booking-address-text'),
  map: $('booking-map'),
  calendar: $('booking-calendar'),
  ics: $('booking-ics'),
  icsLink: $('booking-ics-link'),
  google: $('booking-google'),
  outlook: $('booking-outlook'),
  moveConfirm: $('move-confirm'),
  moveQuestion: $('move-question'),
  online: $('booking-online'),
  onlineLink: $('booking-online-link'),
  liveStatus: $('live-status'),
  actions: $('actions'),
  actionForm: $('action-form'),
  actionResult: $('action-result'),
  rescheduleOpen: $('reschedule-open'),
  reschedule: $('reschedule'),
  rescheduleList: $('reschedule-list'),
  rescheduleDay: $('reschedule-day'),
  rescheduleStatus: $('reschedule-status'),
  cancelOpen: $('cancel-open'),
  cancelConfirm: $('cancel-confirm'),
  yours: $('yours'),
  checkin: $('checkin'),
  checkinButton: $('checkin-button'),
  checkedIn: $('checked-in'),
  dataForm: $('data-form'),
  eraseOpen: $('erase-open'),
  eraseConfirm: $('erase-confirm'),
};

// ------------------------------------------------------------------ rendering

function render() {
  if (erased) return;
  if (!booking) return;
  const s = booking.session;
  el.booking.hidden = false;
  el.yours.hidden = false;
  setText(el.title, sessionTitle(s, catalog));
  setText(el.badge, t(`manage.status.${booking.status}`));
  el.badge.className = `badge ${booking.status}`;
  setText(el.plain, plainStatus(booking));
  const late = booking.status !== 'cancelled' && takesPlace(s) && s.late_minutes > 0;
  el.late.hidden = !late;
  setText(el.late, late ? t('manage.running_late', { n: s.late_minutes }) : '');
  renderCheckin();
  setText(el.when, `${formatDay(s.start, s.zone)}, ${formatTimeRange(s.start, s.end, s.zone)}`);
  setText(el.where, placeText(s, catalog));
  // The address with a map link (OpenStreetMap: no account, no tracking script).
  const camp = catalog.camp(s.camp_id);
  const address = !s.online && camp?.address ? camp.address : '';
  el.address.hidden = el.addressLabel.hidden = !address;
  setText(el.addressText, address);
  el.map.href = `https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`;
  const holding = booking.status === 'confirmed' || booking.status === 'waitlisted';
  el.calendar.hidden = !holding || !takesPlace(s);
  const event = { title: sessionTitle(s, catalog), start: s.start, end: s.end,
    location: [placeText(s, catalog), address].filter(Boolean).join(', ') };
  el.google.href = googleCalendarUrl(event);
  el.outlook.href = outlookCalendarUrl(event);
  const expert = catalog.expert(s.expert_id);
  setText(el.expert, expert ? `${expert.name} – ${expert.title}` : expertName(s, catalog));
  setText(el.seats, seatsLine(booking));
  el.online.hidden = !booking.online_url;
  if (booking.online_url && /^https?:\/\//i.test(booking.online_url)) el.onlineLink.href = booking.online_url;

  setText($('data-name'), booking.name);
  setText($('data-email'), booking.email);
  setText($('data-startup'), booking.startup);
  setText($('data-question'), booking.question || '–');

  const active = booking.status === 'confirmed' || booking.status === 'waitlisted';
  const upcoming = new Date(s.start) > new Date();
  // A message about what was just done (cancelled, moved) stays until the page is left,
  // whatever live updates arrive after it.
  el.actions.hidden = !(active && upcoming) && el.actionResult.hidden;
  // Checked in means here, now: moving is for another day.
  el.rescheduleOpen.hidden = booking.status !== 'confirmed' || booking.checked_in;
  if (el.rescheduleOpen.hidden) toggle(el.rescheduleOpen, el.reschedule, false);
  setText(el.cancelOpen, booking.status === 'waitlisted' ? t('manage.leave_waitlist') : t('manage.cancel'));
  document.body.dataset.status = booking.status;
  document.body.dataset.ready = 'true';
  // This browser's "my bookings" follows what happened here (moved, cancelled, moved up).
  updateBooking({ manage_url: `${location.origin}${location.pathname}`, start: s.start, end: s.end, zone: s.zone,
    session_id: s.id, status: booking.status, title: sessionTitle(s, catalog) });
}

/** "I'm here" only while the server would take it: a confirmed seat of an open session,
 *  not yet checked in, from checkin_from (the server's window, refreshed with every
 *  read) until the session ends. A timer re-renders as the window opens and closes. */
function checkinOpen(now = new Date()) {
  const s = booking.session;
  return booking.status === 'confirmed' && !booking.checked_in && takesPlace(s) &&
    Boolean(booking.checkin_from) && now >= new Date(booking.checkin_from) && now < new Date(booking.checkin_until);
}

function renderCheckin() {
  el.checkin.hidden = !checkinOpen();
  el.checkedIn.hidden = !(booking.checked_in && takesPlace(booking.session));
}

async function checkIn() {
  clearProblems(el.checkin);
  await busy(el.checkin, async () => {
    try {
      booking = await post(`${base}/checkin`);
      render();
      announce(t('manage.checked_in'));
    } catch (err) {
      showProblem(el.checkin, err);
      // The window may have moved (the expert runs late): read what holds now.
      fetchBooking();
    }
  });
}

/** The seats row as it concerns this founder: their own seat, never "fully booked"
 *  for the seat they hold. */
function seatsLine(b) {
  const s = b.session;
  if (s.status === 'cancelled') return t('manage.session_cancelled');
  if (b.status === 'confirmed') return t('manage.seat_yours');
  if (b.status === 'waitlisted') return seatsText(s);
  if (b.status === 'cancelled') return t('manage.seat_released');
  return '–'; // attended or no-show: the session is over
}

/** The booking's state in a plain sentence. */
function plainStatus(b) {
  const s = b.session;
  if (b.status === 'cancelled') return s.status === 'cancelled' ? t('manage.plain.cancelled_by_expert') : t('manage.plain.cancelled');
  if (s.status === 'cancelled') return t('manage.plain.cancelled_by_expert');
  if (b.status === 'waitlisted') {
    if (b.waitlist_position === 1) return t('manage.plain.waitlisted_first');
    if (b.waitlist_position > 1) return t('manage.plain.waitlisted_at', { n: b.waitlist_position });
    return t('manage.plain.waitlisted');
  }
  // Moved up from the waitlist: the server says so (promoted_at), whether or not this page saw it happen.
  if (b.status === 'confirmed') return promoted || b.promoted_at ? t('manage.plain.promoted') : t('manage.plain.confirmed');
  if (b.status === 'attended') return t('manage.plain.attended');
  if (b.status === 'no_show') return t('manage.plain.no_show');
  return '';
}

/** The .ics link shows once the server has the file (it never leads to a 404). */
async function showIcs() {
  const ics = `${base}/booking.ics`;
  try {
    await api('HEAD', ics);
    el.icsLink.href = ics;
    el.ics.hidden = false;
  } catch {
    el.ics.hidden = true;
  }
}

function renderLiveStatus(state) {
  setText(el.liveStatus, state === 'live' ? t('live.on') : state === 'connecting' ? t('live.connecting') : t('live.offline'));
  el.liveStatus.dataset.state = state;
}

function toggle(button, panel, open) {
  panel.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
}

// ------------------------------------------------------------------ data

// Reads of the booking are numbered: on a busy connection an older answer can arrive
// after a newer one, and must not replace it.
let fetchesStarted = 0;

async function fetchBooking({ announceChange = false } = {}) {
  const before = booking;
  const mine = ++fetchesStarted;
  let fetched;
  try {
    fetched = await get(base);
  } catch (err) {
    if (mine !== fetchesStarted) return;
    if (err.status === 404) {
      booking = null;
      el.booking.hidden = el.actions.hidden = el.yours.hidden = true;
      setText(el.status, problemText({ code: 'unknown-token' }));
      document.body.dataset.ready = 'true';
      live.stop();
      return;
    }
    setText(el.status, problemText(err));
    return;
  }
  if (mine !== fetchesStarted) return; // a later read is on its way
  // A live change that arrived while this read was under way is newer than what the
  // read saw: the session keeps the newest version (the change log orders them).
  if (booking && fetched.session.id === booking.session.id &&
      compareVersions(booking.session.version, fetched.session.version) > 0) {
    fetched.session = booking.session;
  }
  booking = fetched;
  setText(el.status, '');
  live.watchOnly({ session: { type: 'event', event: booking.session.id } });
  render();
  if (before && before.status === 'waitlisted' && booking.status === 'confirmed') {
    promoted = true;
    render();
  }
  if (announceChange && before) {
    if (before.status !== booking.status) announce(t('manage.live.status', { status: t(`manage.status.${booking.status}`) }));
    else if (before.session.late_minutes !== booking.session.late_minutes && booking.session.late_minutes > 0)
      announce(t('manage.running_late', { n: booking.session.late_minutes }));
    else if (before.session.status !== booking.session.status && booking.session.status === 'cancelled')
      announce(t('manage.session_cancelled'));
  }
}

function onSessionChange(sessions) {
  if (!booking) return;
  const mine = sessions.find((s) => s.id === booking.session.id);
  if (!mine) return;
  // Older than what a read already showed (the read overtook the change): nothing new.
  if (compareVersions(mine.version, booking.session.version) < 0) return;
  booking.session = { ...booking.session, ...mine };
  render();
  // The session changed; my own booking may have too (promoted from the waitlist,
  // cancelled with the session): ask for it, once for a burst of changes.
  clearTimeout(refetchTimer);
  refetchTimer = setTimeout(() => fetchBooking({ announceChange: true }), 150);
}

// ------------------------------------------------------------------ actions

async function openReschedule() {
  const open = el.reschedule.hidden;
  toggle(el.rescheduleOpen, el.reschedule, open);
  toggle(el.cancelOpen, el.cancelConfirm, false);
  el.moveConfirm.hidden = true;
  if (!open) return;
  setText(el.rescheduleStatus, t('common.loading'));
  el.rescheduleList.replaceChildren();
  setText(el.rescheduleDay, '');
  const s = booking.session;
  // The whole booking horizon: the server's, learnt from this session's own window.
  const horizon = s.bookable_from ? Math.round((Date.parse(s.start) - Date.parse(s.bookable_from)) / DAY_MS) : 56;
  const to = new Date(Date.now() + (horizon + 1) * DAY_MS);
  try {
    const data = await get(`/api/v1/sessions${query({
      expert: s.expert_id, free_only: 'true', to: to.toISOString().slice(0, 10),
    })}`);
    // Only what the booking can become: the same kind and the same length, bookable now.
    const length = Date.parse(s.end) - Date.parse(s.start);
    moveChoices = data.sessions.filter((x) => x.id !== s.id && x.status === 'open' && x.bookable !== false
      && x.kind === s.kind && Date.parse(x.end) - Date.parse(x.start) === length).sort(byStart);
    setText(el.rescheduleStatus, moveChoices.length ? t('manage.reschedule_count', { n: moveChoices.length }) : t('manage.reschedule_none'));
    const marks = new Map();
    for (const x of moveChoices) marks.set(dayKey(x.start, x.zone), (marks.get(dayKey(x.start, x.zone)) || 0) + 1);
    const first = todayKey(s.zone);
    const last = moveChoices.length ? dayKey(moveChoices[moveChoices.length - 1].start, s.zone) : first;
    // The first day with a choice is shown at once: most founders move to the next free time.
    const selected = moveChoices.length ? dayKey(moveChoices[0].start, s.zone) : '';
    moveCalendar.update({ today: first, first, last, marks, marksFor: '*', selected, focus: selected || first, month: (selected || first).slice(0, 7) });
    showMoveDay(selected);
  } catch (err) {
    setText(el.rescheduleStatus, problemText(err));
  }
}

/** The times of one day the booking can move to. */
function showMoveDay(day) {
  const zone = booking.session.zone;
  const choices = day ? moveChoices.filter((x) => dayKey(x.start, zone) === day) : [];
  setText(el.rescheduleDay, !day ? '' : choices.length
    ? formatDayKey(day, 'day') : `${formatDayKey(day, 'day')}: ${t('booking.cal.no_slots')}`);
  el.moveConfirm.hidden = true;
  reconcile(el.rescheduleList, choices, {
    keyOf: (x) => x.id,
    create: (x) => h('li', {}, h('button', { type: 'button', class: 'secondary', onclick: () => askMove(x) }),
      h('span', { class: 'hint' })),
    update: (node, x) => {
      const button = node.querySelector('button');
      // The day is the list's heading; the visible time is part of the full label, as
      // voice control users say it.
      setText(button, formatTimeRange(x.start, x.end, x.zone));
      button.setAttribute('aria-label', slotLabel(x, catalog, t('manage.move_to')));
      setText(node.querySelector('.hint'), placeText(x, catalog));
    },
  });
}

/** Moving asks first, naming the new time. */
function askMove(x) {
  moveTarget = x;
  setText(el.moveQuestion, t('manage.move_confirm', { when: `${formatDay(x.start, x.zone)}, ${formatTimeRange(x.start, x.end, x.zone)}` }));
  el.moveConfirm.hidden = false;
  el.moveQuestion.focus();
}

async function reschedule(sessionId) {
  el.moveConfirm.hidden = true;
  clearProblems(el.actionForm);
  await busy(el.actionForm, async () => {
    try {
      booking = await post(`${base}/reschedule`, { session_id: sessionId });
      toggle(el.rescheduleOpen, el.reschedule, false);
      live.watchOnly({ session: { type: 'event', event: booking.session.id } });
      render();
      done(t('manage.moved', { when: `${formatDay(booking.session.start, booking.session.zone)}, ${formatTimeRange(booking.session.start, booking.session.end, booking.session.zone)}` }));
    } catch (err) {
      showProblem(el.actionForm, err, { fieldMap: { session_id: '' } });
    }
  });
}

async function cancel() {
  clearProblems(el.actionForm);
  await busy(el.actionForm, async () => {
    try {
      booking = await post(`${base}/cancel`);
      toggle(el.cancelOpen, el.cancelConfirm, false);
      render();
      done(t('manage.cancelled_done'));
    } catch (err) {
      showProblem(el.actionForm, err);
    }
  });
}

function done(message) {
  el.actions.hidden = false;
  el.actionResult.hidden = false;
  setText(el.actionResult, message);
  el.actionResult.focus();
  if (!(booking.status === 'confirmed' || booking.status === 'waitlisted')) {
    // Nothing left to do here but the message: keep it visible.
    el.actionForm.hidden = true;
  }
}

async function exportData() {
  clearProblems(el.dataForm);
  try {
    const data = await get(`${base}/export`);
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: 'sprechstunde-my-data.json', hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    announce(t('manage.exported'));
  } catch (err) {
    showProblem(el.dataForm, err);
  }
}

async function erase() {
  clearProblems(el.dataForm);
  await busy(el.dataForm, async () => {
    try {
      await post(`${base}/erase`, { confirm: true });
      erased = true;
      booking = null;
      live.stop();
      el.booking.hidden = el.actions.hidden = el.yours.hidden = true;
      setText(el.status, t('manage.erased'));
      document.body.dataset.status = 'erased';
      document.getElementById('main').focus();
    } catch (err) {
      showProblem(el.dataForm, err);
    }
  });
}

// ------------------------------------------------------------------ start

async function main() {
  [, catalog] = await Promise.all([initI18n(), Catalog.load()]);
  moveCalendar = new MonthCalendar({
    table: $('move-cal-grid'),
    title: $('move-cal-title'),
    prev: $('move-cal-prev'),
    next: $('move-cal-next'),
    onSelect: showMoveDay,
    onMonth: () => {},
  });
  live = new LiveFeed({
    onSnapshot: (id, sessions) => onSessionChange(sessions),
    onChanges: (changes) => onSessionChange(changes.map((c) => c.session)),
    onStatus: renderLiveStatus,
  });
  el.rescheduleOpen.addEventListener('click', openReschedule);
  el.checkinButton.addEventListener('click', checkIn);
  el.checkin.addEventListener('submit', (e) => e.preventDefault());
  setInterval(() => { if (booking && !erased) renderCheckin(); }, 10_000);
  $('move-yes').addEventListener('click', () => moveTarget && reschedule(moveTarget.id));
  $('move-no').addEventListener('click', () => {
    el.moveConfirm.hidden = true;
    el.rescheduleList.querySelector('button')?.focus();
  });
  el.cancelOpen.addEventListener('click', () => {
    toggle(el.cancelOpen, el.cancelConfirm, el.cancelConfirm.hidden);
    toggle(el.rescheduleOpen, el.reschedule, false);
    if (!el.cancelConfirm.hidden) $('cancel-no').focus();
  });
  $('cancel-yes').addEventListener('click', cancel);
  $('cancel-no').addEventListener('click', () => {
    toggle(el.cancelOpen, el.cancelConfirm, false);
    el.cancelOpen.focus();
  });
  $('export').addEventListener('click', exportData);
  el.eraseOpen.addEventListener('click', () => {
    toggle(el.eraseOpen, el.eraseConfirm, el.eraseConfirm.hidden);
    if (!el.eraseConfirm.hidden) $('erase-no').focus();
  });
  $('erase-yes').addEventListener('click', erase);
  $('erase-no').addEventListener('click', () => {
    toggle(el.eraseOpen, el.eraseConfirm, false);
    el.eraseOpen.focus();
  });
  for (const form of [el.actionForm, el.dataForm]) form.addEventListener('submit', (e) => e.preventDefault());
  onLanguageChange(() => {
    render();
    renderLiveStatus(live.state);
    if (!el.reschedule.hidden) {
      moveCalendar.render();
      showMoveDay(moveCalendar.state.selected);
    }
  });
  setText(el.status, t('common.loading'));
  live.start();
  await fetchBooking();
  if (booking) showIcs();
}

main().catch((err) => {
  setText(el.status, problemText(err));
  document.body.dataset.ready = 'error';
});
