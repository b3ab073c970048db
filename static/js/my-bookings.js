// "My bookings": the founder's bookings made in this browser, kept in localStorage so a
// founder who lost the e-mail still finds them on this device. Only the manage link and
// the session, its times and title and whether it is a seat or a waitlist place are kept
// (no name, no e-mail); finished ones are dropped when read.

/** The localStorage key (a page listens for its `storage` events). */
export const BOOKINGS_KEY = 'sprechstunde.bookings';
const KEY = BOOKINGS_KEY;
const MAX = 20;

function read() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(list) ? list.filter((b) => b && typeof b.manage_url === 'string' && b.start && b.end) : [];
  } catch {
    return []; // storage disabled or garbled: nothing remembered
  }
}

function write(list) {
  try {
    localStorage.setItem(KEY, JSON.stringify(list.slice(-MAX)));
  } catch {
    // storage full or disabled: the manage link is still shown and mailed
  }
}

/** Remembers a booking: { manage_url, start, end, zone, session_id, status, title }. */
export function rememberBooking({ manage_url, start, end, zone, session_id = '', status = 'confirmed', title = '' }) {
  const list = read().filter((b) => b.manage_url !== manage_url);
  list.push({ manage_url, start, end, zone, session_id, status, title });
  write(list);
}

/** What the manage page learned of a remembered booking (moved, moved up, cancelled): the
 *  record follows it, and one that no longer holds a place is forgotten, so no page of
 *  this browser calls a seat "yours" that is not. Does nothing for a booking not
 *  remembered here (the link came by e-mail to another device). */
export function updateBooking({ manage_url, start, end, zone, session_id, status, title }) {
  const list = read();
  const i = list.findIndex((b) => b.manage_url === manage_url);
  if (i < 0) return;
  if (status !== 'confirmed' && status !== 'waitlisted') list.splice(i, 1);
  else list[i] = { manage_url, start, end, zone, session_id, status, title };
  write(list);
}

/** The remembered bookings that have not ended, soonest first. */
export function myBookings(now = Date.now()) {
  const all = read();
  const upcoming = all.filter((b) => Date.parse(b.end) > now);
  if (upcoming.length !== all.length) write(upcoming);
  return upcoming.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** The remembered booking in session `sessionId` (seat or waitlist place), or null. */
export function myBookingIn(sessionId, list = myBookings()) {
  return (sessionId && list.find((b) => b.session_id === sessionId)) || null;
}
