// The expert dashboard (/expert): sign in; upcoming sessions with their founders and
// questions (live); attended / no-show; running late, end now, extend; cancel a session with a message;
// the weekly office hours with exceptions, edited with a live preview; the expert's own
// calendars, and the booked sessions that clash with them (live); the walk-in queues of
// the expert's camps, to call a founder in to a free seat now (live).

import { del, get, post, put, seg } from '../api.js';
import { announce } from '../announce.js';
import { Catalog } from '../catalog.js';
import { h, reconcile, replaceChildren, setAttr, setText } from '../dom.js';
import { placeText, sessionTitle } from '../describe.js';
import { takesPlace } from '../bookable.js';
import { formatDayShort, formatTime, formatTimeRange } from '../format.js';
import { busy, clearProblems, markField, problemText, showProblem } from '../forms.js';
import { initI18n, onLanguageChange, t } from '../i18n.js';
import { LiveFeed } from '../live.js';
import { OwnCalendars } from '../own-calendars.js';
import { RuleEditor, ruleSummary } from '../rule-editor.js';
import { setupSignIn } from '../signin.js';
import { PhotoPanel } from '../photo-panel.js';
import { WalkinQueuePanel } from '../walkin-queue.js';

const LATE_CHOICES = [0, 5, 10, 15, 20, 30, 45, 60];

const $ = (id) => document.getElementById(id);
let catalog;
let photo;
let account = null;
let expert = null;
let live = null;
let editor = null;
let schedule = [];
let controls = { extend_minutes: 10, min_walkin_minutes: 10 }; // replaced by the server's on load
let rules = [];
let refetchTimer = 0;
let calendars = null;
let queues = null;

// ------------------------------------------------------------------ sessions

async function loadSessions({ announceChanges = false } = {}) {
  const before = new Map(schedule.map((entry) => [entry.session.id, active(entry).length]));
  const clashedBefore = new Set(schedule.filter(conflict).map((entry) => entry.session.id));
  try {
    const data = await get('/api/v1/expert/sessions');
    schedule = data.sessions;
    controls = { extend_minutes: data.extend_minutes, min_walkin_minutes: data.min_walkin_minutes };
  } catch (err) {
    if (err.status === 401) return signedOutElsewhere();
    setText($('sessions-status'), problemText(err));
    return;
  }
  renderSessions();
  if (queues) queues.render(); // which session a founder can be called into may have changed
  if (announceChanges) {
    for (const entry of schedule) {
      const was = before.get(entry.session.id) ?? 0;
      const now = active(entry).length;
      if (now > was) announce(t('expert.live.booked', { slot: slotText(entry.session) }));
      else if (now < was) announce(t('expert.live.freed', { slot: slotText(entry.session) }));
      if (conflict(entry) && !clashedBefore.has(entry.session.id)) {
        announce(t('expert.live.conflict', { slot: slotText(entry.session) }));
      }
    }
  }
}

const active = (entry) => entry.bookings.filter((b) => b.status !== 'cancelled');
/** A session the expert's own calendar is busy in, though founders hold seats in it. */
const conflict = (entry) => entry.session.busy && entry.session.status === 'open' && entry.session.seats_taken > 0 &&
  new Date(entry.session.end) > new Date();

function slotText(s) {
  return `${formatDayShort(s.start, s.zone)}, ${formatTimeRange(s.start, s.end, s.zone)}`;
}

function renderSessions() {
  const onlyBooked = $('only-booked').checked;
  const now = new Date();
  const shown = schedule
    .filter((entry) => new Date(entry.session.end) > new Date(now.getTime() - 12 * 3600000))
    .filter((entry) => !onlyBooked || active(entry).length > 0)
    .sort((a, b) => new Date(a.session.start) - new Date(b.session.start));
  reconcile($('sessions'), shown, { keyOf: (e) => e.session.id, create: createSessionCard, update: updateSessionCard });
  setText($('sessions-status'), shown.length ? t('expert.session_count', { n: shown.length }) : t('expert.no_sessions'));
  const clashes = schedule.filter(conflict).length;
  $('conflicts').hidden = clashes === 0;
  setText($('conflicts'), clashes ? t('expert.conflicts', { n: clashes }) : '');
  document.body.dataset.ready = 'true';
}

function createSessionCard(entry) {
  const id = entry.session.id;
  const headingId = `s-${id}`;
  const lateSelect = h('select', { id: `late-${id}`, name: 'minutes' },
    LATE_CHOICES.map((n) => h('option', { value: n })));
  const cancelPanelId = `cancel-${id}`;
  const endPanelId = `end-${id}`;
  const card = h('article', { class: 'session-card', 'aria-labelledby': headingId },
    h('header', { class: 'session-head' },
      h('h3', { id: headingId }),
      h('p', { class: 'badges' })),
    h('p', { class: 'session-meta' }),
    h('ul', { class: 'bookings', role: 'list' }),
    h('p', { class: 'no-bookings muted' }),
    h('form', { class: 'session-controls', novalidate: true },
      h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true }),
      h('div', { class: 'late-control' },
        h('label', { for: `late-${id}`, 'data-label': 'late' }),
        lateSelect,
        h('button', { type: 'button', class: 'secondary', 'data-action': 'late' })),
      // While it runs: "End now" (confirmed first) and "Extend", beside "Running late".
      h('div', { class: 'day-controls', hidden: true },
        h('button', { type: 'button', class: 'secondary', 'data-action': 'end-open', 'aria-expanded': 'false', 'aria-controls': endPanelId }),
        h('button', { type: 'button', class: 'secondary', 'data-action': 'extend', 'aria-describedby': `extend-why-${id}` }),
        h('p', { id: `extend-why-${id}`, class: 'extend-why hint', hidden: true })),
      h('div', { id: endPanelId, class: 'end-panel stack note', hidden: true },
        h('p', { 'data-text': 'end-confirm' }),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'strong', 'data-action': 'end-early' }),
          h('button', { type: 'button', class: 'secondary', 'data-action': 'end-keep' }))),
      h('button', { type: 'button', class: 'danger', 'data-action': 'cancel-open', 'aria-expanded': 'false', 'aria-controls': cancelPanelId }),
      h('div', { id: cancelPanelId, class: 'cancel-panel stack note', hidden: true },
        h('div', { class: 'field', 'data-field': 'message' },
          h('label', { for: `msg-${id}`, 'data-label': 'message' }),
          h('textarea', { id: `msg-${id}`, name: 'message', rows: '2', maxlength: '500' })),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'danger strong', 'data-action': 'cancel' }),
          h('button', { type: 'button', class: 'secondary', 'data-action': 'cancel-keep' })))));
  const form = card.querySelector('form');
  // A choice not yet sent stays, whatever live updates redraw the card meanwhile (the
  // keyboard's way to the button leaves the select before the click).
  lateSelect.addEventListener('change', () => { lateSelect.dataset.unsent = 'true'; });
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('click', (e) => {
    const action = e.target.closest('button')?.dataset.action;
    if (action === 'late') setLate(card, form);
    if (action === 'end-open') toggleEnd(card, true);
    if (action === 'end-keep') toggleEnd(card, false);
    if (action === 'end-early') endEarly(card, form);
    if (action === 'extend') extend(card, form);
    if (action === 'cancel-open') toggleCancel(card, true);
    if (action === 'cancel-keep') toggleCancel(card, false);
    if (action === 'cancel') cancelSession(card, form);
  });
  return card;
}

function toggleCancel(card, open) {
  const panel = card.querySelector('.cancel-panel');
  panel.hidden = !open;
  card.querySelector('[data-action="cancel-open"]').setAttribute('aria-expanded', String(open));
  if (open) panel.querySelector('textarea').focus();
  else card.querySelector('[data-action="cancel-open"]').focus();
}

function toggleEnd(card, open) {
  const panel = card.querySelector('.end-panel');
  panel.hidden = !open;
  card.querySelector('[data-action="end-open"]').setAttribute('aria-expanded', String(open));
  if (open) {
    setText(panel.querySelector('[data-text="end-confirm"]'), endConfirmText(card.entry.session));
    panel.querySelector('[data-action="end-early"]').focus();
  } else {
    card.querySelector('[data-action="end-open"]').focus();
  }
}

/** Running now, as session_end_early.lua sees it: open, from the start plus the minutes
 *  the expert runs late until the end. */
function running(s, now = new Date()) {
  const begins = new Date(new Date(s.start).getTime() + s.late_minutes * 60000);
  return s.status === 'open' && now >= begins && now < new Date(s.end);
}

/** What "End now" does with the rest: a walk-in slot when at least min_walkin_minutes. */
function endConfirmText(s) {
  const rest = Math.floor((new Date(s.end) - new Date()) / 60000);
  return rest >= controls.min_walkin_minutes
    ? t('expert.end_confirm_walkin', { n: rest, end: formatTime(s.end, s.zone) })
    : t('expert.end_confirm_short', { n: Math.max(rest, 0) });
}

function updateDayControls(card, entry) {
  const s = entry.session;
  const box = card.querySelector('.day-controls');
  const on = running(s);
  box.hidden = !on;
  if (!on) card.querySelector('.end-panel').hidden = true;
  setText(box.querySelector('[data-action="end-open"]'), t('expert.end_now'));
  const extendButton = box.querySelector('[data-action="extend"]');
  setText(extendButton, t('expert.extend', { n: controls.extend_minutes }));
  // Never offered when session_extend.lua would refuse it: say which session is in the way.
  const blocked = entry.extend_blocked_by;
  extendButton.disabled = Boolean(blocked);
  const why = box.querySelector('.extend-why');
  why.hidden = !blocked;
  setText(why, blocked ? t('expert.extend_blocked', { time: formatTime(blocked.start, s.zone) }) : '');
  const panel = card.querySelector('.end-panel');
  setText(panel.querySelector('[data-action="end-early"]'), t('expert.end_confirm'));
  setText(panel.querySelector('[data-action="end-keep"]'), t('expert.end_keep'));
  if (!panel.hidden) setText(panel.querySelector('[data-text="end-confirm"]'), endConfirmText(s));
}

function updateSessionCard(card, entry) {
  const s = entry.session;
  card.entry = entry;
  card.dataset.sessionId = s.id;
  const title = s.kind === 'event' ? ` · ${sessionTitle(s, catalog)}` : '';
  setText(card.querySelector('h3'), `${slotText(s)}${title}`);
  const badges = [];
  if (s.status !== 'open') badges.push(h('span', { class: `badge ${s.status}`, text: t(`expert.status.${s.status}`) }));
  if (s.late_minutes > 0 && takesPlace(s)) badges.push(h('span', { class: 'badge late', text: t('session.late', { n: s.late_minutes }) }));
  if (conflict(entry)) badges.push(h('span', { class: 'badge conflict', text: t('expert.badge_conflict') }));
  else if (s.busy && s.status === 'open') badges.push(h('span', { class: 'badge busy', text: t('expert.badge_busy') }));
  card.classList.toggle('has-conflict', conflict(entry));
  replaceChildren(card.querySelector('.badges'), badges);
  const held = active(entry);
  // Seats by the session's count: a released no-show stays listed but holds no seat, so
  // the line says how many of those there are ("0 of 1 booked" beside two founders
  // marked no-show would read as a mistake).
  const confirmed = s.seats_taken;
  const noShows = held.filter((b) => b.status === 'no_show').length;
  setText(card.querySelector('.session-meta'), [
    placeText(s, catalog),
    t('expert.booked_of', { n: confirmed, total: s.seats }),
    noShows ? t('expert.no_shows', { n: noShows }) : '',
    s.waiting ? t('expert.waiting', { n: s.waiting }) : '',
  ].filter(Boolean).join(' · '));

  const started = new Date(s.start) <= new Date();
  reconcile(card.querySelector('.bookings'), held, {
    keyOf: (b) => b.id,
    create: (b) => createBooking(b),
    update: (node, b) => updateBooking(node, b, started, s, entry.checkin_from, entry.release_from),
  });
  const none = card.querySelector('.no-bookings');
  none.hidden = held.length > 0;
  setText(none, t('expert.no_bookings'));

  const form = card.querySelector('form');
  // Offered exactly while the server takes it: from late_from until the end.
  const now = new Date();
  form.hidden = !(takesPlace(s) && entry.late_from && now >= new Date(entry.late_from) && now < new Date(s.end));
  setText(card.querySelector('[data-label="late"]'), t('expert.late_label'));
  const select = card.querySelector('select[name="minutes"]');
  for (const option of select.options) {
    setText(option, Number(option.value) === 0 ? t('expert.on_time') : t('expert.minutes', { n: option.value }));
  }
  if (document.activeElement !== select && select.dataset.unsent !== 'true') {
    select.value = String(LATE_CHOICES.includes(s.late_minutes) ? s.late_minutes : 0);
  }
  setText(card.querySelector('[data-action="late"]'), t('expert.late_set'));
  updateDayControls(card, entry);
  setText(card.querySelector('[data-action="cancel-open"]'), t('expert.cancel_session'));
  setText(card.querySelector('[data-label="message"]'), t('expert.cancel_message'));
  // Nobody booked: nobody to write to, so no message field and just "Cancel session".
  card.querySelector('.cancel-panel [data-field="message"]').hidden = held.length === 0;
  setText(card.querySelector('[data-action="cancel"]'),
    held.length ? t('expert.cancel_confirm', { n: held.length }) : t('expert.cancel_confirm_none'));
  setText(card.querySelector('[data-action="cancel-keep"]'), t('expert.cancel_keep'));
}

function createBooking() {
  const li = h('li', { class: 'booking' },
    h('div', { class: 'booking-who' },
      h('p', {}, h('strong', { class: 'booking-name' }), ' ', h('span', { class: 'badge status-badge' }), ' ',
        h('span', { class: 'badge checked-in', hidden: true })),
      h('p', { class: 'booking-startup' }),
      h('p', {}, h('a', { class: 'booking-email' })),
      h('p', { class: 'booking-question' })),
    h('div', { class: 'attendance actions' },
      h('button', { type: 'button', class: 'secondary', 'data-action': 'checkin' }),
      h('button', { type: 'button', class: 'secondary', 'data-action': 'release' }),
      h('button', { type: 'button', class: 'secondary', 'data-status': 'attended' }),
      h('button', { type: 'button', class: 'secondary', 'data-status': 'no_show' })),
    h('p', { class: 'attendance-hint hint' }));
  for (const button of li.querySelectorAll('[data-status]')) {
    button.addEventListener('click', () => setAttendance(li, button.dataset.status));
  }
  li.querySelector('[data-action="checkin"]').addEventListener('click', () => checkIn(li));
  li.querySelector('[data-action="release"]').addEventListener('click', () => release(li));
  return li;
}

function updateBooking(li, b, started, s, checkinFrom, releaseFrom) {
  li.booking = b;
  setText(li.querySelector('.booking-name'), b.name);
  const tick = li.querySelector('.badge.checked-in');
  tick.hidden = !b.checked_in;
  setText(tick, `✓ ${t('expert.checked_in')}`);
  // Offered exactly while checkin.lua takes it: confirmed, not yet here, a session that
  // takes place (open or orphaned),
  // from checkin_from until the end.
  const now = new Date();
  const canCheckIn = b.status === 'confirmed' && !b.checked_in && takesPlace(s) &&
    Boolean(checkinFrom) && now >= new Date(checkinFrom) && now < new Date(s.end);
  const checkin = li.querySelector('[data-action="checkin"]');
  checkin.hidden = !canCheckIn;
  setText(checkin, t('expert.checkin'));
  setAttr(checkin, 'aria-label', t('expert.checkin_for', { name: b.name }));
  // Offered exactly while release.lua takes it: confirmed, not checked in, taking place,
  // from release_from (the camp's release time past the late-aware start) until the end.
  const canRelease = b.status === 'confirmed' && !b.checked_in && takesPlace(s) &&
    Boolean(b.release_from || releaseFrom) && now >= new Date(b.release_from || releaseFrom) && now < new Date(s.end);
  const release = li.querySelector('[data-action="release"]');
  release.hidden = !canRelease;
  setText(release, t('expert.release'));
  setAttr(release, 'aria-label', t('expert.release_for', { name: b.name }));
  const badge = li.querySelector('.status-badge');
  setText(badge, t(`manage.status.${b.status}`));
  badge.className = `badge status-badge ${b.status}`;
  setText(li.querySelector('.booking-startup'), b.startup);
  const mail = li.querySelector('.booking-email');
  setText(mail, b.email);
  mail.href = `mailto:${b.email}`;
  const question = li.querySelector('.booking-question');
  setText(question, b.question ? t('expert.question', { q: b.question }) : t('expert.no_question'));
  question.classList.toggle('muted', !b.question);
  const canMark = started && b.status !== 'waitlisted' && s.status !== 'cancelled';
  for (const button of li.querySelectorAll('[data-status]')) {
    const status = button.dataset.status;
    setText(button, t(`expert.mark_${status}`));
    setAttr(button, 'aria-label', t(`expert.mark_${status}_for`, { name: b.name }));
    // A founder who checked in counts as attended until the expert says otherwise.
    const counted = b.status === 'confirmed' && b.checked_in ? 'attended' : b.status;
    setAttr(button, 'aria-pressed', String(counted === status));
    button.hidden = !canMark;
  }
  const hint = li.querySelector('.attendance-hint');
  // A released founder's seat went to someone else; correcting the mark clears the
  // founder's no-show record (booking_attendance.lua), not the seat.
  // "Record it once it has started" only before the start: a cancelled session's
  // founders have nothing to record, and the hint would say otherwise.
  let hintText = '';
  if (b.released && b.status === 'attended') hintText = t('expert.released_attended', { name: b.name });
  else if (b.released && b.status === 'no_show' && canMark) hintText = t('expert.released_hint', { name: b.name });
  else if (!started && s.status !== 'cancelled' && b.status !== 'waitlisted') hintText = t('expert.attendance_later');
  hint.hidden = !hintText;
  setText(hint, hintText);
}

async function checkIn(li) {
  const card = li.closest('.session-card');
  const form = card.querySelector('form');
  try {
    await post(`/api/v1/expert/bookings/${seg(li.booking.id)}/checkin`);
    announce(t('expert.checked_in_done', { name: li.booking.name }));
    await loadSessions();
  } catch (err) {
    form.hidden = false;
    showProblem(form, err);
  }
}

async function release(li) {
  const card = li.closest('.session-card');
  const form = card.querySelector('form');
  try {
    await post(`/api/v1/expert/bookings/${seg(li.booking.id)}/release`);
    announce(t('expert.released_done', { name: li.booking.name }));
    await loadSessions();
  } catch (err) {
    form.hidden = false;
    showProblem(form, err);
  }
}

async function setAttendance(li, status) {
  const card = li.closest('.session-card');
  const form = card.querySelector('form');
  try {
    await post(`/api/v1/expert/bookings/${seg(li.booking.id)}/attendance`, { status });
    announce(t('expert.marked', { name: li.booking.name, status: t(`manage.status.${status}`) }));
    await loadSessions();
  } catch (err) {
    form.hidden = false;
    showProblem(form, err);
  }
}

async function setLate(card, form) {
  clearProblems(form);
  const minutes = Number(form.elements.minutes.value);
  await busy(form, async () => {
    try {
      await post(`/api/v1/expert/sessions/${seg(card.entry.session.id)}/late`, { minutes });
      delete form.elements.minutes.dataset.unsent; // sent: from now on the select shows what holds
      announce(minutes ? t('expert.late_done', { n: minutes }) : t('expert.on_time_done'));
      await loadSessions();
    } catch (err) {
      showProblem(form, err);
    }
  });
}

async function endEarly(card, form) {
  clearProblems(form);
  await busy(form, async () => {
    try {
      const answer = await post(`/api/v1/expert/sessions/${seg(card.entry.session.id)}/end-early`);
      announce(answer.walkin_session_id ? t('expert.ended_walkin') : t('expert.ended'));
      card.querySelector('.end-panel').hidden = true;
      await loadSessions();
    } catch (err) {
      showProblem(form, err);
    }
  });
}

async function extend(card, form) {
  clearProblems(form);
  const button = card.querySelector('[data-action="extend"]');
  if (button.disabled) return;
  button.disabled = true; // one click, one extension (the next render sets it again)
  await busy(form, async () => {
    try {
      const answer = await post(`/api/v1/expert/sessions/${seg(card.entry.session.id)}/extend`);
      announce(t('expert.extended', { end: formatTime(answer.end, card.entry.session.zone) }));
      await loadSessions();
    } catch (err) {
      showProblem(form, err);
      await loadSessions(); // e.g. the next session was booked meanwhile: the button says so now
    }
  });
}

async function cancelSession(card, form) {
  clearProblems(form);
  const nobody = active(card.entry).length === 0;
  // With nobody booked or waiting there is nobody to tell: no message (the server agrees,
  // and says message-required should somebody have booked meanwhile).
  const message = nobody ? '' : form.elements.message.value.trim();
  if (!nobody && !message) {
    markField(form, 'message', t('expert.cancel_message_required'));
    form.elements.message.focus();
    return;
  }
  await busy(form, async () => {
    try {
      const answer = await post(`/api/v1/expert/sessions/${seg(card.entry.session.id)}/cancel`, message ? { message } : {});
      announce(t('expert.cancelled_done', { n: answer.cancelled_bookings }));
      await loadSessions();
      card.querySelector('h3').setAttribute('tabindex', '-1');
      card.querySelector('h3').focus();
    } catch (err) {
      // Somebody booked while the page showed nobody: now there is someone to tell.
      if (err.code === 'message-required') card.querySelector('.cancel-panel [data-field="message"]').hidden = false;
      showProblem(form, err);
    }
  });
}

// ------------------------------------------------------------------ office hours

async function loadRules() {
  try {
    rules = (await get('/api/v1/expert/rules')).rules;
  } catch (err) {
    setText($('rules-status'), problemText(err));
    return;
  }
  renderRules();
}

function renderRules() {
  setText($('rules-status'), rules.length ? '' : t('rules.none'));
  reconcile($('rules'), rules, {
    keyOf: (r) => r.id,
    create: (r) => {
      const li = h('li', { class: 'rule card' },
        h('p', { class: 'rule-summary' }),
        h('p', { class: 'rule-exceptions muted' }),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', 'data-action': 'edit' }),
          h('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'aria-expanded': 'false' })),
        h('div', { class: 'note stack', 'data-confirm': '', hidden: true },
          h('p', { 'data-text': 'confirm' }),
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'danger strong', 'data-action': 'delete-yes' }),
            h('button', { type: 'button', class: 'secondary', 'data-action': 'delete-no' }))));
      li.addEventListener('click', (e) => {
        const action = e.target.closest('button')?.dataset.action;
        const rule = rules.find((x) => x.id === r.id);
        if (action === 'edit') openEditor(rule);
        if (action === 'delete' || action === 'delete-no') {
          const box = li.querySelector('[data-confirm]');
          box.hidden = action === 'delete-no' || !box.hidden;
          li.querySelector('[data-action="delete"]').setAttribute('aria-expanded', String(!box.hidden));
          if (!box.hidden) li.querySelector('[data-action="delete-no"]').focus();
        }
        if (action === 'delete-yes') deleteRule(rule);
      });
      return li;
    },
    update: (li, r) => {
      const summary = ruleSummary(r, catalog);
      setText(li.querySelector('.rule-summary'), summary);
      const ex = r.exceptions || [];
      setText(li.querySelector('.rule-exceptions'), ex.length ? t('rules.exception_count', { n: ex.length }) : '');
      setText(li.querySelector('[data-action="edit"]'), t('common.edit'));
      setAttr(li.querySelector('[data-action="edit"]'), 'aria-label', t('rules.edit_named', { rule: summary }));
      setText(li.querySelector('[data-action="delete"]'), t('common.delete'));
      setAttr(li.querySelector('[data-action="delete"]'), 'aria-label', t('rules.delete_named', { rule: summary }));
      setText(li.querySelector('[data-text="confirm"]'), t('rules.delete_confirm'));
      setText(li.querySelector('[data-action="delete-yes"]'), t('common.yes_delete'));
      setText(li.querySelector('[data-action="delete-no"]'), t('common.cancel'));
    },
  });
}

function openEditor(rule) {
  $('rule-editor').hidden = false;
  $('rules-result').hidden = true;
  setText($('rule-form-title'), rule ? t('rules.edit') : t('rules.new'));
  editor.load(rule || null);
  $('rule-form-title').focus();
}

function closeEditor() {
  editor.stop();
  $('rule-editor').hidden = true;
  $('rule-new').focus();
}

function newRuleId() {
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${expert.id}-${suffix}`.slice(0, 100);
}

async function saveRule(event) {
  event.preventDefault();
  const form = $('rule-form');
  clearProblems(form);
  const id = form.elements.id.value || newRuleId();
  await busy(form, async () => {
    try {
      const answer = await put(`/api/v1/expert/rules/${seg(id)}`, editor.value());
      form.elements.id.value = id;
      editor.stop();
      $('rule-editor').hidden = true;
      const s = answer.sessions;
      showRulesResult([t('rules.saved', { created: s.created, removed: s.removed }),
        s.orphaned ? t('rules.kept', { n: s.orphaned }) : ''].filter(Boolean).join(' '));
      await Promise.all([loadRules(), loadSessions()]);
    } catch (err) {
      showProblem(form, err);
    }
  });
}

async function deleteRule(rule) {
  try {
    const answer = await del(`/api/v1/expert/rules/${seg(rule.id)}`);
    if ($('rule-form').elements.id.value === rule.id) {
      editor.stop();
      $('rule-editor').hidden = true;
    }
    showRulesResult([t('rules.deleted', { removed: answer.removed }),
      answer.orphaned ? t('rules.kept', { n: answer.orphaned }) : ''].filter(Boolean).join(' '));
    await Promise.all([loadRules(), loadSessions()]);
  } catch (err) {
    showRulesResult(problemText(err));
  }
}

function showRulesResult(text) {
  const el = $('rules-result');
  el.hidden = false;
  setText(el, text);
  el.focus();
}

// ------------------------------------------------------------------ start

function signedIn(who, limits) {
  account = who;
  expert = catalog.expert(account.expert_id) || { id: account.expert_id, name: account.email, camps: [], topics: [] };
  if (editor) editor.expert = expert;
  else editor = new RuleEditor($('rule-form'), { catalog, expert, preview: $('rule-preview') });
  if (!live) {
    live = new LiveFeed({
      onSnapshot: () => scheduleRefetch(false),
      onChanges: () => scheduleRefetch(true),
      onStatus: renderLiveStatus,
      onSummary: (id, summary) => queues && queues.summary(summary.camp, summary),
    });
  }
  if (!queues) {
    queues = new WalkinQueuePanel($('walkin-queue'), {
      mode: 'expert',
      camps: () => (expert.camps || []).map((id) => catalog.camp(id)).filter(Boolean),
      targets: callInTargets,
    });
  }
  live.watchOnly({ mine: { type: 'expert', expert: account.expert_id }, ...queues.views() });
  queues.render();
  queues.loadAll();
  $('calendar-feed').hidden = false;
  if (!calendars) calendars = new OwnCalendars($('own-calendars'), '/api/v1/expert/calendars');
  $('own-calendars').hidden = false;
  calendars.load();
  photo.show(expert, limits?.photo_bytes ?? 0);
  live.start();
  setText($('sessions-status'), t('common.loading'));
  loadSessions();
  loadRules();
  // "Check in" and "No-show – release" appear when their windows open, without a change to wait for.
  if (!checkinTimer) checkinTimer = setInterval(() => renderSessions(), 15_000);
}

let checkinTimer = null;

/** The expert's sessions in `campId` a waiting founder can be called into now: open, not
 *  blocked by the expert's own calendar, a seat nobody holds or is offered, nobody on the
 *  waitlist, running or starting within the walk-in horizon; the earliest first. */
function callInTargets(campId, horizonMinutes) {
  const now = Date.now();
  return schedule.map((entry) => entry.session).filter((s) => {
    if (s.camp_id !== campId || s.status !== 'open' || s.busy || s.offer) return false;
    const begins = Date.parse(s.start) + (s.late_minutes || 0) * 60000;
    return s.seats_free > 0 && !(s.waiting > 0) && Date.parse(s.end) > now && begins - now <= horizonMinutes * 60000;
  }).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

function scheduleRefetch(announceChanges) {
  clearTimeout(refetchTimer);
  refetchTimer = setTimeout(() => loadSessions({ announceChanges }), 200);
}

function renderLiveStatus(state) {
  const el = $('live-status');
  setText(el, state === 'live' ? t('live.on') : state === 'connecting' ? t('live.connecting') : t('live.offline'));
  el.dataset.state = state;
}

/** The calendar subscription: the server keeps only a hash of the link, so a link is
 *  shown once, when it is made; making a new one (or revoking) ends the old one, and the
 *  server says whether there was one (`replaced`). */
async function makeFeed() {
  try {
    const feed = await post('/api/v1/expert/feed');
    replaceChildren($('calendar-feed-slot'),
      h('p', {}, h('a', { href: feed.webcal, text: t('expert.feed_subscribe') })),
      h('label', { for: 'feed-url', text: t('expert.feed_url') }),
      h('input', { id: 'feed-url', type: 'url', readonly: true, value: feed.url }));
    setText($('feed-status'), feed.replaced ? t('expert.feed_replaced') : t('expert.feed_made'));
  } catch (e) {
    setText($('feed-status'), problemText(e));
  }
}

async function revokeFeed() {
  try {
    await del('/api/v1/expert/feed');
    replaceChildren($('calendar-feed-slot'));
    setText($('feed-status'), t('expert.feed_revoked'));
  } catch (e) {
    setText($('feed-status'), problemText(e));
  }
}

function signedOutElsewhere() {
  if (live) live.stop();
  location.reload();
}

async function main() {
  [, catalog] = await Promise.all([initI18n(), Catalog.load()]);
  $('only-booked').addEventListener('change', renderSessions);
  $('rule-new').addEventListener('click', () => openEditor(null));
  $('rule-close').addEventListener('click', closeEditor);
  $('rule-form').addEventListener('submit', saveRule);
  $('feed-new').addEventListener('click', makeFeed);
  photo = new PhotoPanel({ root: $('photo-panel'), path: () => '/api/v1/expert/photo' });
  $('feed-revoke').addEventListener('click', revokeFeed);
  onLanguageChange(() => {
    if (!account) return;
    photo.render();
    renderSessions();
    renderRules();
    if (calendars) calendars.render();
    if (queues) queues.render();
    if (live) renderLiveStatus(live.state);
  });
  await setupSignIn({
    role: 'expert',
    onSignedIn: signedIn,
    onSignedOut: () => {
      if (live) live.stop();
      if (editor) editor.stop();
      account = null;
      schedule = [];
      rules = [];
      $('sessions').replaceChildren();
      $('rules').replaceChildren();
    },
  });
}

main().catch((err) => {
  document.body.dataset.ready = 'error';
  replaceChildren($('main'), h('p', { class: 'form-error', text: problemText(err) }));
});
