#pragma once
/**
 * The hub's booking policy: what a founder may book, decided from plain facts. The Lua
 * scripts enforce the parts that depend on concurrent state (free seats, a founder's
 * other bookings) atomically, with the limits and derived keys computed here passed as
 * arguments; this file is the single definition of the rules and their defaults, and
 * its unit tests are the specification. Pure, no I/O.
 */
#include "domain/zoned_time.hpp"

#include <chrono>
#include <span>
#include <string>

namespace sp::domain {

struct booking_limits {
    std::chrono::seconds min_notice{std::chrono::hours(2)}; // a slot must start at least this far ahead
    std::chrono::days horizon{56};                          // and no further ahead than this
    int max_upcoming_per_founder = 3;                       // hub-wide, by e-mail
    int max_per_expert_per_week = 1;                        // same expert, same ISO week (camp zone)
    bool forbid_overlap = true;                             // a founder's bookings never overlap
};

enum class refusal {
    none,
    session_not_open, // cancelled or orphaned
    in_past,          // already started
    too_soon,         // inside min_notice
    beyond_horizon,
    full,
    walkin_offer,     // the free seats are offered to walk-in founders at the camp right now
    founder_limit,    // max_upcoming_per_founder reached
    expert_week_limit,
    overlap,
    expert_busy,      // the expert's own calendar is busy then (checked after the timing rules)
};

/** A stable machine-readable code for the API ("too-soon", "full", ...). */
std::string_view refusal_code(refusal r);

struct session_facts {
    std::string expert_id;
    instant start;
    instant end;
    bool open = true;
    int seats = 1;
    int seats_taken = 0;
    int waiting = 0;      // founders on the waitlist: a freed seat is theirs first
    int offered = 0;      // free seats held by an open walk-in offer (walkin_rules) until it ends
    bool busy = false;    // overlaps the expert's own busy time
    std::string week_key; // iso_week_key(start, camp zone)
};

struct existing_booking {
    std::string expert_id;
    instant start;
    instant end;
    std::string week_key;
};

/** The first rule (in the order of the enum) that forbids booking `s` for a founder who
 *  already holds `upcoming` (confirmed, not yet ended) bookings; refusal::none if allowed. */
refusal evaluate(const booking_limits& limits, instant now, const session_facts& s,
                 std::span<const existing_booking> upcoming);

/** The time-only part (open, past, notice, horizon), which needs no founder state. */
refusal evaluate_timing(const booking_limits& limits, instant now, const session_facts& s);

/** Whether anyone could book a seat of `s` at `now`, as the public views say it: the
 *  timing rules, then free seats (a seat is not free while founders wait for it, nor while
 *  it is offered to a walk-in founder: `walkin_offer`, neither a seat nor a waitlist place
 *  can be asked for until the offer ends). The
 *  founder-specific rules are not part of it. The window is half-closed: a booking is
 *  accepted from `bookable_from` through `bookable_until`, both inclusive. */
struct bookability {
    refusal reason = refusal::none; // none, session_not_open, in_past, too_soon, beyond_horizon, expert_busy,
                                    // full or walkin_offer
    instant bookable_from;          // start - horizon
    instant bookable_until;         // start - min_notice: the last instant the notice window allows
    bool bookable() const { return reason == refusal::none; }
};

bookability evaluate_bookable(const booking_limits& limits, instant now, const session_facts& s);

} // namespace sp::domain
