// The lobby display (/lobby/<camp>): a TV that runs for days. Clock, now and next per
// room, "free now – walk in" (slots anyone standing here can take, the walk-in queue's
// length, and whose turn it is by ticket number only, with a QR code to join the queue),
// free slots (today, then tomorrow; when neither has any, the next days that do,
// by day name), upcoming events, a QR code to the booking page. No buttons: the
// language comes from ?lang=de|en, and the screen is kept awake (Wake Lock API). Live over
// the `lobby` view (today and tomorrow), `camp_events` (the camp's events, whatever their
// date), `walkins` and a `camp_day` view per later day; when the connection drops it keeps the last state and
// says "as of hh:mm", reconnects by itself, and at midnight (camp time) starts the new
// day. Memory stays flat: sessions of past days are pruned, lists are bounded, and there
// is exactly one clock timer, one socket and one refresh timer at any time.
// It never shows founders' names: the public views it reads do not carry them.

import { heldForWalkin } from '../bookable.js';
import { get, query, seg } from '../api.js';
import { Catalog } from '../catalog.js';
import { h, reconcile, setText } from '../dom.js';
import { expertName, lateText, placeText, sessionTitle } from '../describe.js';
import { addDays, dayKey, formatDayKey, formatDayMedium, formatDayShort, formatTime, formatTimeRange, todayKey } from '../format.js';
import { initI18n, onLanguageChange, t } from '../i18n.js';
import { LiveFeed } from '../live.js';
import { SessionStore, byStart } from '../sessions.js';

const FREE_MAX = 5;
const EVENTS_MAX = 3;
const EVENT_DAYS = 30;
const AHEAD_DAYS = 14; // how far "the next days with free slots" looks
const AHEAD_MAX = 4;
const AHEAD_REFRESH_MS = 5 * 60 * 1000;
const CATALOG_REFRESH_MS = 60 * 60 * 1000;

const campId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
const lobby = new SessionStore(); // today and tomorrow in this camp (the lobby view)
const events = new SessionStore(); // this camp's events not ended yet (the camp_events view)
const $ = (id) => document.getElementById(id);

let catalog;
let camp;
let live;
let shownDay = '';
let asOf = null;
let clockTimer = 0;
let refreshTimer = 0;
let ahead = null; // { days: [{ day, free, first }], more, scheduled } for the days after tomorrow, or null until read
let aheadTimer = 0;
let wakeLock = null;
let queue = null; // the walk-in queue's public summary (the `walkins` view): no names
let eventsKnown = false; // the events view's first snapshot has arrived
const beyond = { rooms: 0, 'walkin-free': 0, free: 0, 'days-ahead': 0, events: 0 }; // per list: more than it lists

const zone = () => camp.zone || 'Europe/Berlin';

// ------------------------------------------------------------------ data

function onSnapshot(id, sessions) {
  if (id.startsWith('ahead:')) {
    loadAheadSoon(); // a later day's state, watched so its changes reach the screen at once
    return;
  }
  if (id === 'lobby') lobby.replace(sessions, () => true);
  else if (id === 'events') {
    events.replace(sessions, () => true);
    eventsKnown = true;
  }
  asOf = new Date();
  render();
}

function onSummary(id, summary) {
  queue = summary;
  asOf = new Date();
  render();
}

function onChanges(changes) {
  const today = todayKey(zone());
  const tomorrow = addDays(today, 1);
  for (const { session } of changes) {
    if (session.camp_id !== campId) continue;
    const day = dayKey(session.start, session.zone);
    if (day === today || day === tomorrow || lobby.get(session.id)) lobby.apply(session);
    // Every change of the camp's events arrives (camp_events view), whatever its date:
    // new, booked, cancelled, or moved in or out of the days the screen counts.
    if (session.kind === 'event') events.apply(session);
  }
  asOf = new Date();
  render();
  loadAheadSoon();
}

/** The days after tomorrow, over HTTP (the lobby view covers two days): per day, how many
 *  slots can still be booked and from when (the booking window is the server's to say).
 *  Those days are watched live too (a camp_day view each), so any change of one reads
 *  them again within a moment; and every few minutes, as the booking windows move. */
async function loadAhead() {
  clearTimeout(aheadTimer);
  aheadTimer = setTimeout(loadAhead, AHEAD_REFRESH_MS);
  const from = addDays(todayKey(zone()), 2);
  try {
    const data = await get(`/api/v1/sessions${query({ camp: campId, from, to: addDays(from, AHEAD_DAYS) })}`);
    const byDay = new Map();
    let scheduled = false;
    for (const s of data.sessions.sort(byStart)) {
      if (s.status !== 'open') continue;
      scheduled = true;
      if (s.bookable === false || !(s.seats_free > 0)) continue;
      const day = dayKey(s.start, s.zone);
      const entry = byDay.get(day) || { day, free: 0, first: s };
      entry.free += 1;
      byDay.set(day, entry);
    }
    const days = Array.from(byDay.values());
    ahead = { days: days.slice(0, AHEAD_MAX), more: Math.max(0, days.length - AHEAD_MAX), scheduled };
    render();
  } catch {
    // Offline: keep what was read; the next attempt comes with the timer.
  }
}

function loadAheadSoon() {
  clearTimeout(aheadTimer);
  aheadTimer = setTimeout(loadAhead, 200); // one read for a burst of changes
}

/** Everything the screen watches: its two days, the walk-in queue, the camp's events,
 *  and each of the later days "next free slots" reads (17 views; live.max_subscriptions
 *  is 20 by default). */
function watchedViews() {
  const watched = {
    lobby: { type: 'lobby', camp: campId },
    walkins: { type: 'walkins', camp: campId },
    events: { type: 'camp_events', camp: campId },
  };
  const from = addDays(todayKey(zone()), 2);
  for (let i = 0; i < AHEAD_DAYS; ++i) {
    const date = addDays(from, i);
    watched[`ahead:${date}`] = { type: 'camp_day', camp: campId, date };
  }
  return watched;
}

async function refreshSlowly() {
  clearTimeout(refreshTimer);
  try {
    await catalog.reload();
    camp = catalog.camp(campId) || camp;
  } catch {
    // keep the catalogue we have
  }
  refreshTimer = setTimeout(refreshSlowly, CATALOG_REFRESH_MS);
}

// ------------------------------------------------------------------ clock and day

function tick() {
  clearTimeout(clockTimer);
  const now = new Date();
  const today = todayKey(zone());
  if (shownDay && today !== shownDay) rollOver();
  shownDay = today;
  if (live && live.state === 'live') asOf = now;
  const clock = $('clock');
  setText(clock, formatTime(now, zone()));
  clock.setAttribute('datetime', now.toISOString());
  setText($('today'), formatDayMedium(now, zone()));
  render();
  // Next tick just after the next full minute.
  clockTimer = setTimeout(tick, 60000 - (now.getTime() % 60000) + 50);
}

function rollOver() {
  // A new day in the camp: yesterday's sessions go, the lobby view starts afresh (its
  // "today and tomorrow" moved on), the later days watched move on by one, and the events
  // window takes in one more day (the events view already has every event of the camp).
  const today = todayKey(zone());
  lobby.prune((s) => dayKey(s.start, s.zone) < today);
  events.prune((s) => new Date(s.end) < new Date());
  live.refresh('lobby');
  live.watchOnly(watchedViews());
  loadAhead();
}

/** A TV must not dim or sleep: hold a screen wake lock where the browser has the API, and
 *  take it again whenever the page becomes visible (the browser drops it when hidden). */
async function keepAwake() {
  if (!('wakeLock' in navigator) || document.visibilityState !== 'visible' || wakeLock) return;
  try {
    wakeLock = await navigator.wakeLock.request('screen');
    document.body.dataset.wakeLock = 'held';
    wakeLock.addEventListener('release', () => {
      wakeLock = null;
      document.body.dataset.wakeLock = 'released';
    });
  } catch {
    document.body.dataset.wakeLock = 'refused'; // e.g. battery saver: the screen's own settings apply
  }
}

// ------------------------------------------------------------------ rendering

function render() {
  if (!camp) return;
  const now = new Date();
  const today = todayKey(zone());
  const all = lobby.values().sort(byStart);
  renderRooms(all.filter((s) => dayKey(s.start, s.zone) === today && s.status !== 'cancelled' && s.status !== 'removed'), now);
  const walkin = renderWalkin(all, now);
  renderFree(all.filter((s) => !walkin.has(s.id)), now, today);
  renderEvents(now);
  renderConnection();
  fitWholeItems();
}

/** A TV does not scroll: a list shows the items that fit whole and hides the rest, rather
 *  than one cut through the middle of a line at the panel's edge, and then says how many
 *  it does not show ("+3 weitere Termine"): those hidden here and those after the few it
 *  lists at all (the next five free slots, the next three events). That line is only there
 *  when there are more, and it is kept free: the items that stay are the ones that fit
 *  above it. Every list is measured with all its items shown, so the outcome depends on the
 *  content and the screen alone (hiding only frees space), and fitting again after the
 *  resize it causes changes nothing. The lists go in the order in which their panels give
 *  way: what one hides leaves the ones after it more room. */
const SCROLLS = matchMedia('(max-width: 60rem)'); // lobby.css: a phone or small window, which may scroll
const FITTED = ['rooms', 'walkin-free', 'free', 'days-ahead', 'events']; // what gives way first, first

function fitWholeItems() {
  const tv = !SCROLLS.matches; // on a phone the page grows with its lists: nothing is cut
  for (const id of FITTED) {
    const list = $(id);
    for (const item of list.children) item.hidden = false;
    // A list that holds fewer than there are has its line from the start (a panel that
    // takes the height it needs grows by it).
    const more = $(`${id}-more`);
    more.hidden = !(tv && !list.hidden && beyond[id] > 0);
    setText(more, more.hidden ? '' : moreText(id, []));
  }
  if (tv) for (const id of FITTED) fitList($(id));
}

function fitList(list) {
  const more = $(`${list.id}-more`);
  const items = Array.from(list.children);
  if (list.hidden || (!items.length && more.hidden)) return;
  const panel = list.closest('section');
  const bottom = panel.getBoundingClientRect().bottom - parseFloat(getComputedStyle(panel).paddingBottom) + 1;
  if (more.hidden) {
    if (items[items.length - 1].getBoundingClientRect().bottom <= bottom) return; // all fit
    more.hidden = false;
  }
  // The line comes right under the list: where it fits, so does every item above it.
  let shown = items.length;
  for (;;) {
    setText(more, moreText(list.id, items.slice(shown)));
    if (shown === 0 || more.getBoundingClientRect().bottom <= bottom) break;
    items[--shown].hidden = true;
  }
}

/** "+3 weitere Termine": the items hidden and those the list does not hold at all. */
function moreText(id, hidden) {
  const n = hidden.length + beyond[id];
  if (id === 'rooms') {
    // The online sessions have a line of their own there, but are not a room.
    const online = hidden.some((item) => item.dataset.key === 'online');
    if (!online) return t('lobby.more_rooms', { n });
    return n > 1 ? t('lobby.more_rooms_online', { n: n - 1 }) : t('lobby.more_online');
  }
  const key = { 'walkin-free': 'lobby.more_slots', free: 'lobby.more_slots', 'days-ahead': 'lobby.more_days', events: 'lobby.more_events' }[id];
  return t(key, { n });
}

function endWithDelay(s) {
  return new Date(new Date(s.end).getTime() + s.late_minutes * 60000);
}

function renderRooms(todays, now) {
  const rooms = camp.rooms.map((r) => ({ id: r.id, name: r.name }));
  if (todays.some((s) => s.online)) rooms.push({ id: 'online', name: t('session.online') });
  const items = rooms.map((room) => {
    const mine = todays.filter((s) => (room.id === 'online' ? s.online : s.room_id === room.id && !s.online));
    const current = mine.find((s) => new Date(s.start) <= now && endWithDelay(s) > now);
    const next = mine.find((s) => new Date(s.start) > now && s !== current);
    return { room, current, next };
  });
  reconcile($('rooms'), items, {
    keyOf: (item) => item.room.id,
    create: () => h('li', { class: 'room' },
      h('h3'),
      h('p', { class: 'now' }, h('span', { class: 'label' }), h('span', { class: 'what' }), ' ', h('span', { class: 'late' }),
        ' ', h('span', { class: 'tick', hidden: true })),
      h('p', { class: 'next' }, h('span', { class: 'label' }), h('span', { class: 'what' }),
        ' ', h('span', { class: 'tick', hidden: true }))),
    update: (node, { room, current, next }) => {
      node.classList.toggle('running', Boolean(current));
      setText(node.querySelector('h3'), room.name);
      const nowLine = node.querySelector('.now');
      setText(nowLine.querySelector('.label'), t('lobby.now'));
      setText(nowLine.querySelector('.what'), current ? describe(current) : t('lobby.room_free'));
      nowLine.querySelector('.what').classList.toggle('idle', !current);
      setText(nowLine.querySelector('.late'), current ? lateText(current) : '');
      const nextLine = node.querySelector('.next');
      setText(nextLine.querySelector('.label'), t('lobby.next'));
      setText(nextLine.querySelector('.what'), next ? describeNext(next) : t('lobby.nothing_more'));
      nextLine.querySelector('.what').classList.toggle('idle', !next);
      // A tick when the founder is here (a count only: no names on the TV).
      showTick(nowLine.querySelector('.tick'), current);
      showTick(nextLine.querySelector('.tick'), next);
    },
  });
}

function showTick(node, s) {
  const here = Boolean(s && s.status === 'open' && s.checked_in > 0);
  node.hidden = !here;
  setText(node, here ? `✓ ${t('lobby.checked_in')}` : '');
}

function describe(s) {
  return `${formatTimeRange(s.start, s.end, s.zone)} · ${sessionTitle(s, catalog)}`;
}

function describeNext(s) {
  const late = s.late_minutes ? ` · ${lateText(s)}` : '';
  return `${formatTime(s.start, s.zone)} · ${sessionTitle(s, catalog)}${late}`;
}

const effectiveStart = (s) => new Date(new Date(s.start).getTime() + (s.late_minutes || 0) * 60000);

/** Free now: the rule of domain/walkin_rules (walkin_slot) with the queue's settings: an
 *  open session with a free seat and nobody waiting that starts within the horizon (or
 *  runs) with at least the minimum left; and every seat offered to a ticket right now.
 *  Returns the ids shown, so "free slots" does not list them twice. */
function renderWalkin(all, now) {
  const horizon = (queue ? queue.horizon_minutes : 30) * 60000;
  const minimum = (queue ? queue.min_walkin_minutes : 10) * 60000;
  const offers = new Map((queue ? queue.offers : []).map((o) => [o.session_id, o]));
  const items = all.filter((s) => {
    if (s.status !== 'open' || s.busy) return false;
    if (offers.has(s.id) || s.offer) return true;
    const begins = effectiveStart(s);
    const from = Math.max(now.getTime(), begins.getTime());
    return s.seats_free > 0 && !(s.waiting > 0) && begins - now <= horizon && new Date(s.end) - from >= minimum;
  });
  reconcile($('walkin-free'), items, {
    keyOf: (s) => s.id,
    create: () => h('li', { class: 'free-item' },
      h('p', { class: 'free-time' }, h('time')),
      h('p', { class: 'free-what' }, h('span', { class: 'free-title' }), h('span', { class: 'free-where' })),
      h('p', { class: 'seats' })),
    update: (node, s) => {
      node.dataset.sessionId = s.id;
      const begins = effectiveStart(s);
      const time = node.querySelector('time');
      time.setAttribute('datetime', begins.toISOString());
      setText(time, begins <= now ? t('lobby.now') : formatTime(begins, s.zone));
      setText(node.querySelector('.free-title'), s.kind === 'event' ? s.title : expertName(s, catalog));
      const where = [placeText(s, catalog, { withCamp: false }), s.late_minutes ? lateText(s) : ''].filter(Boolean).join(' · ');
      setText(node.querySelector('.free-where'), where);
      // Whose turn it is, by ticket number only (no names on the TV, ever).
      const offer = offers.get(s.id) || s.offer;
      node.classList.toggle('offered', Boolean(offer));
      setText(node.querySelector('.seats'), offer
        ? t('lobby.walkin_offer', { ticket: offer.ticket, time: formatTime(offer.until, s.zone) })
        : t('lobby.seats_free', { n: s.seats_free }));
    },
  });
  const none = $('walkin-none');
  none.hidden = items.length > 0;
  setText(none, t('lobby.walkin_none', { n: Math.round(horizon / 60000) }));
  const waiting = queue ? queue.waiting : 0;
  setText($('walkin-queue'), queue ? t('lobby.walkin_queue', { n: waiting }) : '');
  return new Set(items.map((s) => s.id));
}

function renderFree(all, now, today) {
  const allFree = all.filter((s) => s.status === 'open' && !s.busy && s.seats_free > 0 && new Date(s.start) > now);
  const free = allFree.slice(0, FREE_MAX);
  beyond.free = allFree.length - free.length;
  reconcile($('free'), free, {
    keyOf: (s) => s.id,
    create: () => h('li', { class: 'free-item' },
      h('p', { class: 'free-time' }, h('span', { class: 'free-day' }), h('time')),
      h('p', { class: 'free-what' }, h('span', { class: 'free-title' }), h('span', { class: 'free-where' })),
      h('p', { class: 'seats' })),
    update: (node, s) => {
      node.dataset.sessionId = s.id;
      const day = dayKey(s.start, s.zone);
      setText(node.querySelector('.free-day'), day === today ? '' : t('common.tomorrow'));
      const time = node.querySelector('time');
      time.setAttribute('datetime', s.start);
      setText(time, formatTime(s.start, s.zone));
      setText(node.querySelector('.free-title'), s.kind === 'event' ? s.title : expertName(s, catalog));
      const where = [placeText(s, catalog, { withCamp: false }), s.late_minutes ? lateText(s) : ''].filter(Boolean).join(' · ');
      setText(node.querySelector('.free-where'), where);
      setText(node.querySelector('.seats'), t('lobby.seats_free', { n: s.seats_free }));
    },
  });
  // Nothing free today or tomorrow: the next days that have free slots, by day name.
  const aheadList = $('days-ahead');
  const showAhead = free.length === 0 && ahead !== null && ahead.days.length > 0;
  aheadList.hidden = !showAhead;
  beyond['days-ahead'] = showAhead ? ahead.more : 0;
  reconcile(aheadList, showAhead ? ahead.days : [], {
    keyOf: (d) => d.day,
    create: () => h('li', { class: 'ahead-item' }, h('p', { class: 'ahead-day' }), h('p', { class: 'ahead-what' })),
    update: (node, d) => {
      node.dataset.day = d.day;
      setText(node.querySelector('.ahead-day'), formatDayKey(d.day, 'dayMedium'));
      setText(node.querySelector('.ahead-what'), t('lobby.ahead_free', { n: d.free, time: formatTime(d.first.start, d.first.zone) }));
    },
  });
  setText($('free-title'), t(showAhead ? 'lobby.free_ahead' : 'lobby.free'));
  // Say what is true: "all booked" only when something is scheduled and all of it is taken;
  // nothing scheduled is said as such.
  const none = $('free-none');
  none.hidden = free.length > 0 || showAhead || ahead === null;
  const scheduledSoon = all.some((s) => s.status === 'open' && new Date(s.start) > now);
  const scheduled = scheduledSoon || (ahead !== null && ahead.scheduled);
  setText(none, t(scheduled ? 'lobby.no_free' : 'lobby.nothing_scheduled', { n: AHEAD_DAYS + 2 }));
}

function renderEvents(now) {
  const last = addDays(todayKey(zone()), EVENT_DAYS); // the first day not counted
  const open = events.values()
    .filter((s) => s.status === 'open' && new Date(s.end) > now && dayKey(s.start, s.zone) < last)
    .sort(byStart);
  const list = open.slice(0, EVENTS_MAX);
  beyond.events = open.length - list.length;
  reconcile($('events'), list, {
    keyOf: (s) => s.id,
    create: () => h('li', { class: 'event-item' },
      h('p', { class: 'event-when' }), h('p', { class: 'event-title' }), h('p', { class: 'event-seats seats' })),
    update: (node, s) => {
      node.dataset.sessionId = s.id;
      setText(node.querySelector('.event-when'), `${formatDayShort(s.start, s.zone)}, ${formatTimeRange(s.start, s.end, s.zone)}`);
      setText(node.querySelector('.event-title'), s.title);
      const seats = node.querySelector('.event-seats');
      // A seat offered to a ticket is neither free nor booked: whose turn it is, as in "free now".
      const offer = heldForWalkin(s) ? s.offer : null;
      setText(seats, s.seats_free > 0 ? t('lobby.seats_free', { n: s.seats_free })
        : offer ? t('lobby.walkin_offer', { ticket: offer.ticket, time: formatTime(offer.until, s.zone) })
        : t('session.full'));
      seats.classList.toggle('full', s.seats_free === 0 && !offer);
      seats.classList.toggle('offered', Boolean(offer));
    },
  });
  const none = $('events-none');
  none.hidden = open.length > 0 || !eventsKnown; // "no events" only once the events view said so
  setText(none, t('lobby.no_events'));
}

function renderConnection() {
  const state = live ? live.state : 'connecting';
  const offline = state !== 'live';
  document.body.classList.toggle('offline', offline && asOf !== null);
  document.body.dataset.connection = state;
  const when = asOf ? formatTime(asOf, zone()) : '';
  setText($('connection'), !offline ? t('lobby.live') : asOf ? t('lobby.offline_as_of', { time: when }) : t('live.connecting'));
}

let wasLive = false;
function connectionChanged(state) {
  // "As of" is the last moment the screen was known to be current: when it went offline.
  if (wasLive && state !== 'live') asOf = new Date();
  wasLive = state === 'live';
  renderConnection();
}

function renderStatic() {
  setText($('camp-name'), camp.name);
  setText($('camp-focus'), [camp.city, camp.focus].filter(Boolean).join(' · '));
  const bookingUrl = `${location.origin}/?camp=${encodeURIComponent(campId)}`;
  $('qr').alt = t('lobby.qr_alt', { camp: camp.name });
  $('walkin-qr').alt = t('lobby.walkin_qr_alt', { camp: camp.name });
  setText($('qr-url'), bookingUrl.replace(/^https?:\/\//, ''));
}

// ------------------------------------------------------------------ start

async function main() {
  [, catalog] = await Promise.all([initI18n(), Catalog.load()]);
  camp = catalog.camp(campId);
  if (!camp) {
    setText($('camp-name'), t('lobby.unknown_camp'));
    document.body.dataset.ready = 'error';
    return;
  }
  document.title = `${camp.name} – Sprechstunde`;
  $('qr').src = `/api/v1/camps/${seg(campId)}/qr.svg`;
  renderStatic();
  $('walkin-qr').src = `/api/v1/camps/${seg(campId)}/walkin-qr.svg`;
  live = new LiveFeed({ onSnapshot, onChanges, onStatus: connectionChanged, onSummary });
  live.watchOnly(watchedViews());
  live.start();
  onLanguageChange(() => {
    renderStatic();
    tick();
  });
  tick();
  keepAwake();
  document.addEventListener('visibilitychange', keepAwake);
  // The screen turned upright, a window resized, or a panel grew (a heading's text arrived).
  const resized = new ResizeObserver(() => fitWholeItems());
  for (const box of document.querySelectorAll('.lobby-grid, .lobby-grid section')) resized.observe(box);
  await Promise.all([refreshSlowly(), loadAhead()]);
  document.body.dataset.ready = 'true';
}

main().catch(() => {
  // Could not even read the catalogue (server down at power-on): try again shortly.
  setTimeout(() => location.reload(), 10000);
});
