// The walk-in page (/walkin/<camp>), opened from the lobby's QR code or the booking page:
// a founder without a booking joins the camp's queue (name; e-mail and topic optional),
// gets a ticket number and sees their place in line live. When a slot of the camp is
// free now, the first founder whose topic fits is offered it here, with the minutes left
// to take it; taking it is an ordinary booking (confirmation, calendar file, manage
// link). The ticket's private token stays in this browser (and in the address, so a
// reload or a bookmark finds it again); nobody else's name ever reaches this page.

import { del, get, post, seg } from '../api.js';
import { announce } from '../announce.js';
import { Catalog } from '../catalog.js';
import { h, setText } from '../dom.js';
import { placeText, sessionTitle } from '../describe.js';
import { formatTime, formatTimeRange } from '../format.js';
import { busy, clearProblems, formValues, markField, problemText, showProblem } from '../forms.js';
import { currentLanguage, initI18n, onLanguageChange, t } from '../i18n.js';
import { LiveFeed } from '../live.js';
import { rememberBooking } from '../my-bookings.js';

const campId = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] || '');
const STORE_KEY = `sprechstunde.walkin.${campId}`;
const SAFETY_REFRESH_MS = 30000; // besides the live feed, in case a change was missed

const $ = (id) => document.getElementById(id);
let catalog;
let camp;
let live;
let summary = null; // the camp's public queue summary (live)
let entry = null; // this browser's ticket, as GET /api/v1/walkins/<token> answers
let token = '';
let ended = ''; // 'expired' | 'left' | '': why the join form shows again
let countdown = 0;
let refreshTimer = 0;
let reading = null;
let readAgain = false;
let offerShown = '';

// ------------------------------------------------------------------ the ticket's token

function storedToken() {
  const fromHash = location.hash.replace(/^#/, '');
  if (/^[A-Za-z0-9_-]{16,}$/.test(fromHash)) return fromHash;
  try {
    return localStorage.getItem(STORE_KEY) || '';
  } catch {
    return '';
  }
}

function keepToken(value) {
  token = value;
  try {
    if (value) localStorage.setItem(STORE_KEY, value);
    else localStorage.removeItem(STORE_KEY);
  } catch {
    // storage disabled: the address still carries it
  }
  history.replaceState(null, '', value ? `#${value}` : location.pathname + location.search);
}

// ------------------------------------------------------------------ data

/** Reads this browser's ticket; calls coalesce (one read at a time, one more after it). */
async function readEntry() {
  if (!token) return;
  if (reading) {
    readAgain = true;
    return reading;
  }
  reading = (async () => {
    try {
      entry = await get(`/api/v1/walkins/${seg(token)}`);
      if (entry.state === 'expired' || entry.state === 'left') {
        ended = entry.state;
        keepToken('');
        entry = null;
      }
      if (entry && entry.state === 'booked' && entry.booking) remember(entry);
    } catch (err) {
      if (err.status === 404) {
        keepToken('');
        entry = null;
      } else {
        setText($('walkin-status'), problemText(err));
      }
    } finally {
      reading = null;
    }
    render();
    if (readAgain) {
      readAgain = false;
      readEntry();
    }
  })();
  return reading;
}

function remember(e) {
  const s = e.offer?.session || e.booking?.session;
  if (!s || !e.booking?.token) return;
  rememberBooking({ manage_url: `${location.origin}/b/${e.booking.token}`, start: s.start, end: s.end, zone: s.zone,
    session_id: s.id });
}

function onSummary(next) {
  summary = next;
  renderQueue();
  // The summary changed (someone joined, left, an offer came or went): this ticket's
  // place or offer may have moved.
  if (token) readEntry();
}

function scheduleSafetyRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    await readEntry();
    scheduleSafetyRefresh();
  }, SAFETY_REFRESH_MS);
}

// ------------------------------------------------------------------ rendering

function renderQueue() {
  if (!summary) return;
  const n = summary.waiting;
  setText($('walkin-queue'), n > 0 ? t('walkin.waiting', { n }) : t('walkin.nobody_waiting'));
}

function render() {
  setText($('walkin-title'), t('walkin.title', { camp: camp.name }));
  document.title = t('walkin.title', { camp: camp.name });
  renderQueue();
  const inQueue = Boolean(entry);
  $('join-form').hidden = inQueue;
  $('ticket').hidden = !inQueue;
  if (!inQueue) {
    const claim = summary ? summary.claim_minutes : 5;
    setText($('join-intro'), ended === 'expired' ? t('walkin.expired_rejoin')
      : ended === 'left' ? t('walkin.left_rejoin') : t('walkin.intro', { minutes: claim }));
    clearInterval(countdown);
    document.body.dataset.state = ended || 'none';
    return;
  }
  document.body.dataset.state = entry.state;
  setText($('ticket-number'), String(entry.ticket));
  const offered = entry.state === 'offered' && entry.offer;
  const booked = entry.state === 'booked';
  $('offer').hidden = !offered;
  $('booked').hidden = !booked;
  $('leave-form').hidden = booked;
  if (entry.state === 'waiting') {
    setText($('ticket-state'), entry.ahead > 0
      ? t('walkin.position', { position: entry.position, ahead: entry.ahead })
      : t('walkin.first'));
  } else if (offered) {
    setText($('ticket-state'), t('walkin.your_turn'));
  } else if (booked) {
    setText($('ticket-state'), '');
  }
  if (offered) renderOffer(entry.offer);
  else {
    clearInterval(countdown);
    offerShown = '';
    document.title = t('walkin.title', { camp: camp.name });
  }
  if (booked) renderBooked(entry);
}

function renderOffer(offer) {
  const s = offer.session;
  setText($('offer-title'), t('walkin.offer_title'));
  setText($('offer-what'), `${formatTimeRange(s.start, s.end, s.zone)} · ${sessionTitle(s, catalog)}`);
  setText($('offer-where'), placeText(s, catalog));
  const tickDown = () => {
    const left = Math.max(0, Date.parse(offer.until) - Date.now());
    const m = Math.floor(left / 60000);
    const sec = String(Math.floor((left % 60000) / 1000)).padStart(2, '0');
    setText($('offer-deadline'), left > 0 ? t('walkin.take_within', { time: `${m}:${sec}`, until: formatTime(offer.until, s.zone) })
      : t('walkin.offer_gone'));
    $('offer-take').disabled = left <= 0;
    if (left <= 0) {
      clearInterval(countdown);
      readEntry(); // the sweep moves it on: read what holds now
    }
  };
  clearInterval(countdown);
  tickDown();
  countdown = setInterval(tickDown, 1000);
  document.title = `▶ ${t('walkin.your_turn')}`;
  if (offerShown !== s.id) {
    // A new offer: tell the founder at once (screen reader, focus, a buzz on phones).
    offerShown = s.id;
    announce(`${t('walkin.your_turn')} ${$('offer-what').textContent}`);
    $('offer-title').focus();
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  }
}

function renderBooked(e) {
  const s = e.offer?.session || e.booking?.session;
  setText($('booked-what'), s ? t('walkin.booked', { what: `${formatTimeRange(s.start, s.end, s.zone)} · ${sessionTitle(s, catalog)}` })
    : t('walkin.booked_plain'));
  setText($('booked-where'), s ? t('walkin.go_to', { where: placeText(s, catalog) }) : '');
  $('booked-manage').href = `/b/${seg(e.booking.token)}`;
}

function fillTopics() {
  const select = $('w-topic');
  const topics = new Set();
  for (const e of catalog.experts) if (!e.camps || e.camps.includes(campId)) for (const topic of e.topics || []) topics.add(topic);
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '', text: t('walkin.any_topic') }),
    ...Array.from(topics).sort((a, b) => a.localeCompare(b)).map((topic) => h('option', { value: topic, text: topic })));
  select.value = chosen;
}

// ------------------------------------------------------------------ actions

async function join(event) {
  event.preventDefault();
  const form = $('join-form');
  clearProblems(form);
  const values = formValues(form);
  if (!values.name) {
    markField(form, 'name', t('problem.missing-field.name'));
    form.elements.name.focus();
    return;
  }
  await busy(form, async () => {
    try {
      const body = { name: values.name, lang: currentLanguage() };
      if (values.email) body.email = values.email;
      if (values.topic) body.topic = values.topic;
      const made = await post(`/api/v1/camps/${seg(campId)}/walkins`, body);
      ended = '';
      keepToken(made.token);
      await readEntry();
      $('ticket-number').focus();
      announce(t('walkin.joined', { ticket: made.ticket }));
    } catch (err) {
      showProblem(form, err);
    }
  });
}

async function take(event) {
  event.preventDefault();
  const form = $('offer-form');
  clearProblems(form);
  await busy(form, async () => {
    try {
      await post(`/api/v1/walkins/${seg(token)}/claim`);
      await readEntry();
      $('booked-what').focus();
      announce($('booked-what').textContent);
    } catch (err) {
      showProblem(form, err);
      await readEntry();
    }
  });
}

async function decline() {
  const form = $('offer-form');
  clearProblems(form);
  await busy(form, async () => {
    try {
      await post(`/api/v1/walkins/${seg(token)}/decline`);
      await readEntry();
      announce(t('walkin.declined'));
    } catch (err) {
      showProblem(form, err);
      await readEntry();
    }
  });
}

async function leave(event) {
  event.preventDefault();
  const form = $('leave-form');
  await busy(form, async () => {
    try {
      await del(`/api/v1/walkins/${seg(token)}`);
    } catch (err) {
      if (err.status !== 404) {
        setText($('walkin-status'), problemText(err));
        return;
      }
    }
    keepToken('');
    entry = null;
    ended = 'left';
    render();
    $('w-name').focus();
    announce(t('walkin.left'));
  });
}

function connectionChanged(state) {
  setText($('walkin-live'), state === 'live' ? t('walkin.live') : t('live.connecting'));
  document.body.dataset.connection = state;
}

// ------------------------------------------------------------------ start

async function main() {
  [, catalog] = await Promise.all([initI18n(), Catalog.load()]);
  camp = catalog.camp(campId);
  if (!camp) {
    setText($('walkin-status'), t('lobby.unknown_camp'));
    document.body.dataset.ready = 'error';
    return;
  }
  token = storedToken();
  if (token) keepToken(token);
  fillTopics();
  $('join-form').addEventListener('submit', join);
  $('offer-form').addEventListener('submit', take);
  $('offer-decline').addEventListener('click', decline);
  $('leave-form').addEventListener('submit', leave);
  live = new LiveFeed({
    onSummary: (id, s) => onSummary(s),
    onStatus: connectionChanged,
  });
  live.watch('walkins', { type: 'walkins', camp: campId });
  live.start();
  onLanguageChange(() => {
    fillTopics();
    render();
  });
  if (token) await readEntry();
  else render();
  scheduleSafetyRefresh();
  document.body.dataset.ready = 'true';
}

main().catch((err) => {
  setText($('walkin-status'), problemText(err));
  document.body.dataset.ready = 'error';
});
