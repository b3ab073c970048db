#include "domain/booking_policy.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace sp::domain;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {
const date::time_zone* camp_zone()
{
    return find_zone("Europe/Berlin");
}

// Monday 26 October 2026, 09:00 UTC.
const instant now = date::sys_days{date::year{2026} / 10 / 26} + hours{9};

session_facts session_at(instant start, std::string expert = "e1")
{
    session_facts s;
    s.expert_id = std::move(expert);
    s.start = start;
    s.end = start + minutes{30};
    s.seats = 2;
    s.seats_taken = 0;
    s.week_key = iso_week_key(start, camp_zone());
    return s;
}

existing_booking booking_at(instant start, std::string expert, minutes length = minutes{30})
{
    return existing_booking{std::move(expert), start, start + length, iso_week_key(start, camp_zone())};
}

session_facts full_session_at(instant start)
{
    auto s = session_at(start, "e1");
    s.seats_taken = s.seats;
    return s;
}

// Catch prints the code on failure, which reads better than an enum's number.
std::string code(refusal r)
{
    return std::string(refusal_code(r));
}

std::string check(const booking_limits& limits, const session_facts& s,
                  const std::vector<existing_booking>& upcoming = {})
{
    return code(evaluate(limits, now, s, upcoming));
}
} // namespace

TEST_CASE("an open session with a free seat inside the booking window is allowed", "[booking_policy]")
{
    booking_limits limits;
    CHECK(check(limits, session_at(now + hours{24})) == "none");
    CHECK(code(evaluate_timing(limits, now, session_at(now + hours{24}))) == "none");
}

TEST_CASE("the default limits are the hub's rules", "[booking_policy]")
{
    booking_limits limits;
    CHECK(limits.min_notice == hours{2});
    CHECK(limits.horizon == std::chrono::days{56});
    CHECK(limits.max_upcoming_per_founder == 3);
    CHECK(limits.max_per_expert_per_week == 1);
    CHECK(limits.forbid_overlap);
}

TEST_CASE("a session that is not open is refused before anything else", "[booking_policy]")
{
    booking_limits limits;
    auto s = session_at(now - hours{1}); // also in the past
    s.open = false;
    s.seats_taken = s.seats;
    CHECK(check(limits, s) == "session-not-open");
    CHECK(code(evaluate_timing(limits, now, s)) == "session-not-open");
}

TEST_CASE("a session that has already started is in the past", "[booking_policy]")
{
    booking_limits limits;
    CHECK(check(limits, session_at(now)) == "in-past");
    CHECK(check(limits, session_at(now - minutes{10})) == "in-past");
    auto full_and_past = session_at(now - hours{1});
    full_and_past.seats_taken = full_and_past.seats;
    CHECK(check(limits, full_and_past) == "in-past");
}

TEST_CASE("a session inside the minimum notice is too soon, one exactly at it is not", "[booking_policy]")
{
    booking_limits limits;
    CHECK(check(limits, session_at(now + seconds{1})) == "too-soon");
    CHECK(check(limits, session_at(now + hours{2} - seconds{1})) == "too-soon");
    CHECK(check(limits, session_at(now + hours{2})) == "none");
}

TEST_CASE("a session beyond the horizon is refused, one exactly at it is not", "[booking_policy]")
{
    booking_limits limits;
    CHECK(check(limits, session_at(now + std::chrono::days{56})) == "none");
    CHECK(check(limits, session_at(now + std::chrono::days{56} + seconds{1})) == "beyond-horizon");
    auto far_and_full = session_at(now + std::chrono::days{90});
    far_and_full.seats_taken = far_and_full.seats;
    CHECK(check(limits, far_and_full) == "beyond-horizon");
}

TEST_CASE("a session with every seat taken is full", "[booking_policy]")
{
    booking_limits limits;
    auto s = session_at(now + hours{24});
    s.seats_taken = 1;
    CHECK(check(limits, s) == "none");
    s.seats_taken = 2;
    CHECK(check(limits, s) == "full");
    s.seats_taken = 3; // over-booked by an earlier bug or a manual change: still full
    CHECK(check(limits, s) == "full");
}

TEST_CASE("a founder holding the maximum of upcoming bookings is refused", "[booking_policy]")
{
    booking_limits limits;
    auto s = session_at(now + hours{24});
    std::vector<existing_booking> two{booking_at(now + std::chrono::days{8}, "e2"),
                                      booking_at(now + std::chrono::days{15}, "e3")};
    CHECK(check(limits, s, two) == "none");
    auto three = two;
    three.push_back(booking_at(now + std::chrono::days{22}, "e4"));
    CHECK(check(limits, s, three) == "founder-limit");
    // A full session is reported as full, not as the founder's limit.
    s.seats_taken = s.seats;
    CHECK(check(limits, s, three) == "full");
}

TEST_CASE("a second booking with the same expert in the same ISO week is refused", "[booking_policy]")
{
    booking_limits limits;
    auto thursday = session_at(now + std::chrono::days{3}, "e1");
    CHECK(check(limits, thursday, {booking_at(now + std::chrono::days{1}, "e1")}) == "expert-week-limit");
    CHECK(check(limits, thursday, {booking_at(now + std::chrono::days{1}, "e2")}) == "none");
    CHECK(check(limits, thursday, {booking_at(now + std::chrono::days{8}, "e1")}) == "none");
}

TEST_CASE("the expert's week is the camp's local week", "[booking_policy]")
{
    booking_limits limits;
    // Sunday 1 November, 23:30 Berlin (22:30Z) and Monday 2 November, 00:30 Berlin (23:30Z
    // on Sunday): the same UTC day, different weeks in the camp.
    instant sunday_night = date::sys_days{date::year{2026} / 11 / 1} + hours{22} + minutes{30};
    instant monday_early = sunday_night + hours{1};
    CHECK(iso_week_key(sunday_night, camp_zone()) == "2026-W44");
    CHECK(iso_week_key(monday_early, camp_zone()) == "2026-W45");
    CHECK(check(limits, session_at(monday_early, "e1"), {booking_at(sunday_night, "e1")}) == "none");
}

TEST_CASE("the founder limit is checked before the expert's week", "[booking_policy]")
{
    booking_limits limits;
    auto s = session_at(now + std::chrono::days{2}, "e1");
    std::vector<existing_booking> upcoming{booking_at(now + std::chrono::days{1}, "e1"),
                                           booking_at(now + std::chrono::days{8}, "e2"),
                                           booking_at(now + std::chrono::days{15}, "e3")};
    CHECK(check(limits, s, upcoming) == "founder-limit");
}

TEST_CASE("overlapping bookings are refused, touching ones are not", "[booking_policy]")
{
    booking_limits limits;
    auto s = session_at(now + hours{24}, "e1"); // [start, start + 30 min)
    CHECK(check(limits, s, {booking_at(s.start - minutes{15}, "e2")}) == "overlap");
    CHECK(check(limits, s, {booking_at(s.start + minutes{29}, "e2")}) == "overlap");
    CHECK(check(limits, s, {booking_at(s.start - minutes{60}, "e2", minutes{120})}) == "overlap");
    CHECK(check(limits, s, {booking_at(s.start + minutes{5}, "e2", minutes{10})}) == "overlap");
    CHECK(check(limits, s, {booking_at(s.end, "e2")}) == "none");
    CHECK(check(limits, s, {booking_at(s.start - minutes{30}, "e2")}) == "none");
}

TEST_CASE("the expert's week is checked before overlap", "[booking_policy]")
{
    booking_limits limits;
    auto s = session_at(now + hours{24}, "e1");
    CHECK(check(limits, s, {booking_at(s.start, "e1")}) == "expert-week-limit");
}

TEST_CASE("the limits are configurable", "[booking_policy]")
{
    booking_limits limits;
    limits.min_notice = seconds{0};
    limits.horizon = std::chrono::days{7};
    limits.max_upcoming_per_founder = 5;
    limits.max_per_expert_per_week = 2;
    limits.forbid_overlap = false;

    CHECK(check(limits, session_at(now + seconds{1})) == "none");
    CHECK(check(limits, session_at(now + std::chrono::days{8})) == "beyond-horizon");

    auto s = session_at(now + hours{24}, "e1");
    std::vector<existing_booking> upcoming{booking_at(s.start, "e1"), booking_at(s.start + hours{1}, "e2"),
                                           booking_at(s.start + hours{2}, "e3"), booking_at(s.start + hours{3}, "e4")};
    CHECK(check(limits, s, upcoming) == "none"); // overlap allowed, 1 of 2 with e1, 4 of 5 upcoming
    upcoming.push_back(booking_at(s.start + hours{4}, "e1"));
    CHECK(check(limits, s, upcoming) == "founder-limit");
    limits.max_upcoming_per_founder = 6;
    CHECK(check(limits, s, upcoming) == "expert-week-limit");
    limits.max_per_expert_per_week = 3;
    CHECK(check(limits, s, upcoming) == "none");
    limits.forbid_overlap = true;
    CHECK(check(limits, s, upcoming) == "overlap");
}

TEST_CASE("each refusal gives way to the next once it is fixed, in the order of the enum", "[booking_policy]")
{
    booking_limits limits;
    auto s = session_at(now - hours{1}, "e1");
    s.open = false;
    s.seats_taken = s.seats;
    std::vector<existing_booking> upcoming;
    std::vector<std::string> seen;

    seen.push_back(check(limits, s, upcoming));
    s.open = true;
    seen.push_back(check(limits, s, upcoming));
    s = full_session_at(now + hours{1});
    seen.push_back(check(limits, s, upcoming));
    s = full_session_at(now + std::chrono::days{60});
    seen.push_back(check(limits, s, upcoming));
    s = full_session_at(now + std::chrono::days{2});
    upcoming = {booking_at(s.start, "e1"), booking_at(now + std::chrono::days{9}, "e2"),
                booking_at(now + std::chrono::days{16}, "e3")};
    seen.push_back(check(limits, s, upcoming));
    s.seats_taken = 0;
    seen.push_back(check(limits, s, upcoming));
    upcoming.pop_back();
    seen.push_back(check(limits, s, upcoming));
    upcoming[0].expert_id = "e4";
    seen.push_back(check(limits, s, upcoming));
    upcoming[0].start = s.end;
    upcoming[0].end = s.end + minutes{30};
    seen.push_back(check(limits, s, upcoming));

    CHECK(seen == std::vector<std::string>{"session-not-open", "in-past", "too-soon", "beyond-horizon", "full",
                                           "founder-limit", "expert-week-limit", "overlap", "none"});
}

TEST_CASE("timing alone ignores seats and the founder's other bookings", "[booking_policy]")
{
    booking_limits limits;
    auto s = session_at(now + hours{24}, "e1");
    s.seats_taken = s.seats;
    CHECK(code(evaluate_timing(limits, now, s)) == "none");
    CHECK(code(evaluate_timing(limits, now, session_at(now + hours{1}))) == "too-soon");
    CHECK(code(evaluate_timing(limits, now, session_at(now + std::chrono::days{57}))) == "beyond-horizon");
}

TEST_CASE("refusal codes are stable strings for the API", "[booking_policy]")
{
    CHECK(refusal_code(refusal::none) == "none");
    CHECK(refusal_code(refusal::session_not_open) == "session-not-open");
    CHECK(refusal_code(refusal::in_past) == "in-past");
    CHECK(refusal_code(refusal::too_soon) == "too-soon");
    CHECK(refusal_code(refusal::beyond_horizon) == "beyond-horizon");
    CHECK(refusal_code(refusal::full) == "full");
    CHECK(refusal_code(refusal::founder_limit) == "founder-limit");
    CHECK(refusal_code(refusal::expert_week_limit) == "expert-week-limit");
    CHECK(refusal_code(refusal::overlap) == "overlap");
}

TEST_CASE("bookability: the window runs from start - horizon through start - min_notice, both inclusive",
          "[booking_policy]")
{
    booking_limits limits; // 2 h notice, 56 days horizon
    const instant start = now + hours{24};
    auto s = session_at(start);
    auto at = [&](instant t) { return code(evaluate_bookable(limits, t, s).reason); };

    auto b = evaluate_bookable(limits, now, s);
    CHECK(b.bookable());
    CHECK(b.bookable_until == start - hours{2});
    CHECK(b.bookable_from == start - std::chrono::days{56});

    CHECK(at(b.bookable_until) == "none");
    CHECK(at(b.bookable_until + seconds{1}) == "too-soon");
    CHECK(at(start - seconds{1}) == "too-soon");
    CHECK(at(start) == "in-past");
    CHECK(at(b.bookable_from) == "none");
    CHECK(at(b.bookable_from - seconds{1}) == "beyond-horizon");
    // The window agrees with what a booking is refused for, at both edges.
    CHECK(code(evaluate_timing(limits, b.bookable_until, s)) == "none");
    CHECK(code(evaluate_timing(limits, b.bookable_until + seconds{1}, s)) == "too-soon");
    CHECK(code(evaluate_timing(limits, b.bookable_from - seconds{1}, s)) == "beyond-horizon");
}

TEST_CASE("bookability: the window follows the configured notice and horizon", "[booking_policy]")
{
    booking_limits limits;
    limits.min_notice = minutes{15};
    limits.horizon = std::chrono::days{7};
    const instant start = now + hours{3};
    auto b = evaluate_bookable(limits, now, session_at(start));
    CHECK(b.bookable_until == start - minutes{15});
    CHECK(b.bookable_from == start - std::chrono::days{7});
}

TEST_CASE("bookability: full means no free seat, or founders waiting for the one that is free", "[booking_policy]")
{
    booking_limits limits;
    auto s = session_at(now + hours{24});
    s.seats_taken = s.seats;
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "full");
    s.seats_taken = s.seats - 1;
    s.waiting = 1;
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "full");
    s.waiting = 0;
    CHECK(evaluate_bookable(limits, now, s).bookable());
}

TEST_CASE("a seat offered to a walk-in founder is neither free nor taken: no booking and no waitlist place until "
          "the offer ends",
          "[booking_policy]")
{
    booking_limits limits;
    auto s = session_at(now + hours{24});
    s.seats = 2;
    s.seats_taken = 1;
    s.offered = 1;
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "walkin-offer");
    CHECK(code(evaluate(limits, now, s, {})) == "walkin-offer");
    // Taken seats and the waitlist come first: a full session stays full.
    s.seats_taken = 2;
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "full");
    CHECK(code(evaluate(limits, now, s, {})) == "full");
    // One of three seats offered: the third is free for anyone.
    s.seats = 3;
    s.seats_taken = 1;
    CHECK(evaluate_bookable(limits, now, s).bookable());
    CHECK(code(evaluate(limits, now, s, {})) == "none");
    // The offer ended: the seat is free again.
    s.seats = 2;
    s.offered = 0;
    CHECK(evaluate_bookable(limits, now, s).bookable());
}

TEST_CASE("bookability: timing reasons come before full, a closed session before everything", "[booking_policy]")
{
    booking_limits limits;
    auto s = full_session_at(now + hours{1});
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "too-soon");
    s = full_session_at(now + std::chrono::days{60});
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "beyond-horizon");
    s = full_session_at(now - hours{1});
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "in-past");
    s.open = false;
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "session-not-open");
}

TEST_CASE("bookability: a session in the expert's busy time is not offered (expert-busy), after the timing reasons "
          "and before full",
          "[booking_policy][busy]")
{
    booking_limits limits;
    auto s = session_at(now + hours{24});
    s.busy = true;
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "expert-busy");
    CHECK(code(evaluate(limits, now, s, {})) == "expert-busy");
    s.seats_taken = s.seats; // a booked session that became busy: the clash is the news, not the seats
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "expert-busy");
    s.start = now + hours{1};
    s.end = s.start + minutes{30};
    CHECK(code(evaluate_bookable(limits, now, s).reason) == "too-soon");
    s = session_at(now + hours{24});
    CHECK(evaluate_bookable(limits, now, s).bookable()); // the clash went: bookable again
}
