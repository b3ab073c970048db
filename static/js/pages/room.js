// A room's pages. /rooms/<id> is what the QR code on the room's door (and the lobby)
// opens: a founder with a booking in this room checks in ("I'm here"), found among the
// bookings this browser remembers, or from the manage link pasted from the e-mail.
// /rooms/<id>/qr is the sheet a community manager prints for the door.

import { get, post, seg } from '../api.js';
import { announce } from '../announce.js';
import { Catalog } from '../catalog.js';
import { setText } from '../dom.js';
import { sessionTitle } from '../describe.js';
import { takesPlace } from '../bookable.js';
import { formatDay, formatTime, formatTimeRange } from '../format.js';
import { busy, clearProblems, markField, problemText, showProblem } from '../forms.js';
import { initI18n, onLanguageChange, t } from '../i18n.js';
import { myBookings, rememberBooking } from '../my-bookings.js';

const parts = location.pathname.split('/').filter(Boolean); // ['rooms', id] or ['rooms', id, 'qr']
const roomId = decodeURIComponent(parts[1] || '');
const sheetMode = parts[2] === 'qr';
const LOOK_AHEAD_MS = 2 * 3600 * 1000; // remembered bookings starting within this are asked about

const $ = (id) => document.getElementById(id);
let catalog;
let room;
let found = null; // { token, booking }: the booking this page offers to check in
let elsewhere = null; // a booking of this browser that runs now in another room
let timer = 0;

/** The manage token in a manage link (https://…/b/<token>), or the token itself. */
function tokenOf(text) {
  const value = String(text || '').trim();
  if (!value) return '';
  try {
    const url = new URL(value, location.origin);
    const i = url.pathname.split('/').indexOf('b');
    if (i >= 0) return decodeURIComponent(url.pathname.split('/')[i + 1] || '');
  } catch {
    // not a URL: maybe the bare token
  }
  return /^[A-Za-z0-9_-]{16,}$/.test(value) ? value : '';
}

function placeOf(r) {
  const camp = catalog.camp(r.camp_id);
  return camp ? `${camp.name}${camp.address ? `, ${camp.address}` : ''}` : '';
}

// ------------------------------------------------------------------ the sheet

function renderSheet() {
  $('sheet').hidden = false;
  setText($('sheet-title'), t('room.sheet_title', { room: room.name }));
  setText($('sheet-place'), placeOf(room));
  const url = `${location.origin}/rooms/${seg(room.id)}`;
  $('sheet-qr').src = `/api/v1/rooms/${seg(room.id)}/qr.svg`;
  $('sheet-qr').alt = t('room.qr_alt', { room: room.name });
  setText($('sheet-url'), url.replace(/^https?:\/\//, ''));
  document.title = t('room.sheet_title', { room: room.name });
  document.body.dataset.ready = 'true';
}

// ------------------------------------------------------------------ check-in

/** The window the server keeps: from checkin_from until checkin_until (the session's end). */
function windowState(b, now = new Date()) {
  if (b.checked_in) return 'done';
  if (b.status !== 'confirmed' || !takesPlace(b.session) || !b.checkin_from) return 'closed';
  if (now < new Date(b.checkin_from)) return 'early';
  if (now >= new Date(b.checkin_until)) return 'closed';
  return 'open';
}

async function readBooking(token) {
  return { token, booking: await get(`/api/v1/manage/${seg(token)}`) };
}

/** Among the bookings this browser remembers, the one in this room that runs now or next. */
async function lookUpRemembered() {
  const now = Date.now();
  const soon = myBookings(now).filter((b) => Date.parse(b.start) - now < LOOK_AHEAD_MS).slice(0, 5);
  const answers = await Promise.allSettled(soon.map((b) => readBooking(tokenOf(b.manage_url))));
  const read = answers.filter((a) => a.status === 'fulfilled').map((a) => a.value)
    .filter((x) => x.booking.status === 'confirmed' || x.booking.checked_in)
    .sort((a, b) => Date.parse(a.booking.session.start) - Date.parse(b.booking.session.start));
  found = read.find((x) => x.booking.session.room_id === room.id) || null;
  elsewhere = found ? null : read.find((x) => windowState(x.booking) !== 'closed') || null;
}

function renderCheckin() {
  clearTimeout(timer);
  $('checkin').hidden = false;
  setText($('checkin-title'), t('room.checkin_title', { room: room.name }));
  setText($('checkin-place'), placeOf(room));
  document.title = t('room.checkin_title', { room: room.name });
  $('checkin-booking').hidden = !found;
  $('link-form').hidden = Boolean(found);
  $('checkin-elsewhere').hidden = !elsewhere;
  if (elsewhere) {
    const s = elsewhere.booking.session;
    const other = catalog.room(s.room_id);
    setText($('checkin-elsewhere'), t('room.elsewhere', {
      time: formatTime(s.start, s.zone), room: other ? other.name : s.room_id,
    }));
  }
  if (found) {
    const b = found.booking;
    const s = b.session;
    setText($('checkin-what'), sessionTitle(s, catalog));
    setText($('checkin-when'), `${formatDay(s.start, s.zone)}, ${formatTimeRange(s.start, s.end, s.zone)}`);
    $('checkin-manage').href = `/b/${seg(found.token)}`;
    const state = windowState(b);
    $('checkin-form').hidden = state === 'done';
    $('checkin-button').hidden = state !== 'open';
    $('checkin-wait').hidden = state === 'open' || state === 'done';
    if (state === 'early') {
      setText($('checkin-wait'), t('room.opens_at', { time: formatTime(b.checkin_from, s.zone) }));
      // The button appears the moment the window opens, without a reload.
      timer = setTimeout(renderCheckin, Math.min(Date.parse(b.checkin_from) - Date.now() + 50, 2 ** 31 - 1));
    } else if (state === 'closed') {
      setText($('checkin-wait'), t('room.closed'));
    } else if (state === 'open') {
      timer = setTimeout(renderCheckin, Math.min(Date.parse(b.checkin_until) - Date.now() + 50, 2 ** 31 - 1));
    }
    $('checkin-done').hidden = state !== 'done';
    if (state === 'done') setText($('checkin-done'), t('manage.checked_in'));
  }
  document.body.dataset.ready = 'true';
}

async function checkIn(event) {
  event.preventDefault();
  const form = $('checkin-form');
  clearProblems(form);
  await busy(form, async () => {
    try {
      found = { token: found.token, booking: await post(`/api/v1/manage/${seg(found.token)}/checkin`) };
      renderCheckin();
      $('checkin-done').focus();
      announce(t('manage.checked_in'));
    } catch (err) {
      showProblem(form, err);
      // The window may have moved (the expert runs late): read what holds now.
      try {
        found = await readBooking(found.token);
        renderCheckin();
      } catch {
        // the problem shown says enough
      }
    }
  });
}

async function useLink(event) {
  event.preventDefault();
  const form = $('link-form');
  clearProblems(form);
  const token = tokenOf(form.elements.link.value);
  if (!token) {
    markField(form, 'link', t('room.link_invalid'));
    form.elements.link.focus();
    return;
  }
  await busy(form, async () => {
    try {
      const read = await readBooking(token);
      const s = read.booking.session;
      if (s.room_id !== room.id) {
        const other = catalog.room(s.room_id);
        markField(form, 'link', t('room.other_room', {
          when: `${formatDay(s.start, s.zone)}, ${formatTime(s.start, s.zone)}`, room: other ? other.name : s.room_id,
        }));
        form.elements.link.focus();
        return;
      }
      found = read;
      elsewhere = null;
      // Found next time without the link.
      rememberBooking({ manage_url: `${location.origin}/b/${token}`, start: s.start, end: s.end, zone: s.zone,
        session_id: s.id, status: read.booking.status });
      renderCheckin();
      ($('checkin-button').hidden ? $('checkin-what') : $('checkin-button')).focus();
    } catch (err) {
      if (err.status === 404) markField(form, 'link', t('room.link_unknown'));
      else showProblem(form, err, { fieldMap: { token: 'link' } });
    }
  });
}

async function main() {
  [, catalog] = await Promise.all([initI18n(), Catalog.load()]);
  room = catalog.room(roomId);
  if (!room) {
    setText($('room-status'), t('room.unknown'));
    document.body.dataset.ready = 'true';
    return;
  }
  if (sheetMode) {
    $('sheet-print').addEventListener('click', () => window.print());
    renderSheet();
    onLanguageChange(renderSheet);
    return;
  }
  $('checkin-form').addEventListener('submit', checkIn);
  $('link-form').addEventListener('submit', useLink);
  setText($('room-status'), t('common.loading'));
  await lookUpRemembered();
  setText($('room-status'), '');
  renderCheckin();
  onLanguageChange(renderCheckin);
}

main().catch((err) => {
  setText($('room-status'), problemText(err));
  document.body.dataset.ready = 'error';
});
