// "My bookings": the founder's bookings made in this browser, kept in localStorage so a
// founder who lost the e-mail still finds them on this device. Only the manage link and
// the times are kept (no name, no e-mail); finished ones are dropped when read.

const KEY = 'sprechstunde.bookings';
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

/** Remembers a booking: { manage_url, start, end, zone }. */
export function rememberBooking({ manage_url, start, end, zone }) {
  const list = read().filter((b) => b.manage_url !== manage_url);
  list.push({ manage_url, start, end, zone });
  write(list);
}

/** The remembered bookings that have not ended, soonest first. */
export function myBookings(now = Date.now()) {
  const all = read();
  const upcoming = all.filter((b) => Date.parse(b.end) > now);
  if (upcoming.length !== all.length) write(upcoming);
  return upcoming.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}
