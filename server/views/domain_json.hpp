#pragma once
/**
 * The JSON of the hub's objects, shared by the HTTP API and the live layer (a live
 * snapshot carries the same session JSON as GET /api/sessions). Public views (camps,
 * experts, sessions) carry only public fields: a session says how many seats are free,
 * never who took them. The booking view is for the founder holding its manage token. Times are RFC 3339 with
 * the local offset of the camp's zone, and the zone is named. Pure; thread-safe.
 */
#include "domain/booking_policy.hpp"
#include "domain/hub.hpp"
#include "util/json_writer.hpp"

#include <span>

namespace sp::views {

/** The rules and the moment an HTTP answer judges bookability by. The live feed sends
 *  sessions without it: its messages are written once and read later. */
struct booking_clock {
    const domain::booking_limits& limits;
    domain::instant now;
    std::chrono::minutes checkin_open; // check-in opens this long before the effective start
};

/** Whether anyone could book `s` at `clock.now` (the founder-independent rules). */
domain::bookability bookability_of(const domain::session& s, const booking_clock& clock);

void write_camp(util::json_writer& w, const domain::camp& c, std::span<const domain::room> rooms);
void write_expert(util::json_writer& w, const domain::expert& e);
/** With a clock, the session also says `bookable`, `bookable_from`, `bookable_until` and,
 *  when it cannot be booked, `not_bookable_reason` (a refusal code). */
void write_session(util::json_writer& w, const domain::session& s, const booking_clock* clock = nullptr);
void write_booking(util::json_writer& w, const domain::booking& b, const domain::session& s,
                   const booking_clock* clock = nullptr);

} // namespace sp::views
