#pragma once
/**
 * When a founder may check in, and when a confirmed founder who has not may be
 * released as a no-show. Times are instants; a session's effective start is its start
 * plus the minutes the expert runs late (a founder is not late for an expert who is).
 * Pure, thread-safe; the Lua scripts get the instants computed here and decide
 * atomically against the stored state.
 *
 * Check-in: from `checkin_open` before the effective start until the session ends, for
 * a confirmed booking of an open session, once.
 * Release: a confirmed founder not checked in, from `release_after` after the effective
 * start until the session ends; automatically when the camp has auto_release, or by the
 * expert's click (from the same moment).
 */
#include "domain/day_settings.hpp"
#include "domain/hub.hpp"

#include <string_view>

namespace sp::domain {

enum class checkin_refusal {
    none,
    not_confirmed,      // waitlisted, cancelled, already marked
    session_not_open,   // does not take place (cancelled, removed)
    too_early,          // before the window opens
    session_over,       // the session has ended
    already_checked_in,
};

enum class release_refusal {
    none,
    not_confirmed,
    session_not_open,
    checked_in,         // the founder is here
    too_early,          // before release_after past the effective start
    session_over,
};

/** The hub's settings with what `c` sets for itself (release_after, auto_release). */
day_settings camp_day(const day_settings& hub, const camp& c);

/** "too-early", "session-over", ... as the API names them. */
enum class late_refusal {
    none,
    session_not_open,   // does not take place
    too_early,          // more than late_notice before the start
    session_over,
};

std::string_view checkin_refusal_code(checkin_refusal r);
std::string_view release_refusal_code(release_refusal r);

/** Whether `s` takes place with the founders it holds: open, or orphaned (left outside
 *  its expert's changed office hours with founders booked: their bookings stand until the
 *  expert cancels it, so they check in, and the expert runs late or releases no-shows,
 *  as in any session). New bookings are for open sessions only (booking_policy). */
bool takes_place(const session& s);

/** The start plus the minutes the expert runs late. */
instant effective_start(const session& s);
/** When check-in opens for `s`. */
instant checkin_opens(const session& s, const day_settings& d);
/** When a founder of `s` who has not checked in becomes a no-show. */
instant release_due(const session& s, const day_settings& d);
/** When the founder of `b` got the seat, where that can be after the start: when it moved up
 *  from the waitlist, or, for a walk-in, when the offer was taken or the expert called them
 *  in (the booking was made then). Epoch 0 for a seat booked ahead. */
instant seated_at(const booking& b);
/** The time a founder who got the seat after the start has from then to reach the room:
 *  `release_after`, and at least the time a walk-in is given to take an offer (`claim`),
 *  so a hub that releases no-shows right at the start (release_after 0) does not release
 *  a walk-in or a moved-up founder the moment they get the seat. */
std::chrono::seconds late_seat_grace(const day_settings& d);
/** The same as release_due(s, d) for a founder who got the seat at `seated_at` (epoch 0: ahead):
 *  after the start, late_seat_grace() from then, not release_after from the start. */
instant release_due(const session& s, instant seated_at, const day_settings& d);

/** From when the expert may say they run late: `late_notice` before the start. */
instant late_from(const session& s, const day_settings& d);
/** Whether the expert may say at `now` that they run late for `s` (or take it back):
 *  the session takes place, from late_from() until it ends. A notice a week ahead moves
 *  nothing founders need to know today, and after the end there is nothing to be late for. */
late_refusal may_announce_late(const session& s, instant now, const day_settings& d);

checkin_refusal may_check_in(const session& s, std::string_view booking_status, bool checked_in, instant now,
                             const day_settings& d);
/** Whether the founder of `b` may be released as a no-show at `now`: confirmed, not checked
 *  in, the session running, and their release time reached (release_due from when they got
 *  the seat, so a walk-in seated late is not released the moment they take it). */
release_refusal may_release(const session& s, const booking& b, instant now, const day_settings& d);

} // namespace sp::domain
