// Whether a session can be booked, as the booking pages decide it between server answers.
// The server says when a session's booking window opens and closes (bookable_from and
// bookable_until, from the minimum notice and the horizon); seats change live. So a page
// hides a slot the moment its window closes, with a timer, without asking the server.

/** True while the booking window of `s` is open at `now` (ms): a seat or a waitlist
 *  place can be asked for. False when the window is unknown (a session that only came
 *  through the live feed, which does not carry it), and while the expert's own calendar
 *  is busy then (`busy`, which the live feed does carry): the server refuses those. */
export function windowOpen(s, now = Date.now()) {
  if (!s || s.status !== 'open' || s.busy || !s.bookable_until) return false;
  if (now > Date.parse(s.bookable_until)) return false;
  return !s.bookable_from || now >= Date.parse(s.bookable_from);
}

/** A seat is free for a new booking: none taken by the waitlist first. */
export function hasFreeSeat(s) {
  return s.seats_free > 0 && !(s.waiting > 0);
}

/** The session takes place with the founders it holds: open, or orphaned (outside its
 *  expert's changed office hours, its bookings standing until the expert cancels it), as
 *  the server's domain::takes_place: check-in, running late and no-shows apply. */
export function takesPlace(s) {
  return Boolean(s) && (s.status === 'open' || s.status === 'orphaned');
}

/** Every free seat is offered to a walk-in founder at the camp right now (`offer`, until
 *  its deadline): neither a seat nor a waitlist place can be asked for until the offer
 *  ends, as the server's `walkin-offer` refusal says. */
export function heldForWalkin(s) {
  return Boolean(s && s.offer) && s.seats_free === 0 && s.seats_taken < s.seats && !(s.waiting > 0);
}

/** The next instant (ms) after `now` at which `windowOpen` changes for one of `sessions`,
 *  or 0 when none will. */
export function nextWindowChange(sessions, now = Date.now()) {
  let next = 0;
  for (const s of sessions) {
    if (!s.bookable_until) continue;
    for (const edge of [Date.parse(s.bookable_from), Date.parse(s.bookable_until) + 1]) {
      if (edge > now && (!next || edge < next)) next = edge;
    }
  }
  return next;
}

/** Calls `fn` at the next window change of what `sessions()` returns, and again after
 *  each call; `reschedule()` is called whenever the sessions change. Timers longer than
 *  an hour are cut to one (setTimeout cannot wait weeks, and clocks drift). */
export function windowTimer(sessions, fn) {
  let timer = 0;
  const reschedule = () => {
    clearTimeout(timer);
    const next = nextWindowChange(sessions());
    if (!next) return;
    const delay = Math.min(Math.max(next - Date.now(), 0), 3600000);
    timer = setTimeout(() => {
      fn();
      reschedule();
    }, delay);
  };
  return { reschedule };
}
