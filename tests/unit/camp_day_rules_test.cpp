#include "domain/attendance_rules.hpp"
#include "domain/no_show_limit.hpp"
#include "domain/walkin_rules.hpp"

#include <catch2/catch.hpp>

using namespace sp::domain;
using namespace std::chrono_literals;

namespace {

const date::time_zone* berlin() { return find_zone("Europe/Berlin"); }

instant utc(const char* text)
{
    auto t = parse_rfc3339(text);
    REQUIRE(t);
    return *t;
}

/** An open one-seat session of `minutes` starting at the RFC 3339 time `start`. */
session at(const char* start, int minutes = 30, std::string id = "s")
{
    session s;
    s.id = std::move(id);
    s.expert_id = "anna";
    s.start = utc(start);
    s.end = s.start + std::chrono::minutes(minutes);
    return s;
}

const day_settings defaults{};

/** A booking made ahead of the session, in `status`. */
booking held(std::string status, bool checked_in = false)
{
    booking b;
    b.status = std::move(status);
    b.checked_in = checked_in;
    return b;
}

} // namespace

TEST_CASE("check-in opens 15 minutes before the start, late minutes included, and closes when the session ends",
          "[domain][day][checkin]")
{
    session s = at("2027-03-28T10:00:00+02:00"); // the morning after the spring change: CEST
    CHECK(may_check_in(s, "confirmed", false, s.start - 15min - 1s, defaults) == checkin_refusal::too_early);
    CHECK(may_check_in(s, "confirmed", false, s.start - 15min, defaults) == checkin_refusal::none);
    CHECK(may_check_in(s, "confirmed", false, s.end - 1s, defaults) == checkin_refusal::none);
    CHECK(may_check_in(s, "confirmed", false, s.end, defaults) == checkin_refusal::session_over);
    CHECK(may_check_in(s, "confirmed", true, s.start, defaults) == checkin_refusal::already_checked_in);
    CHECK(may_check_in(s, "waitlisted", false, s.start, defaults) == checkin_refusal::not_confirmed);
    s.late_minutes = 10;
    CHECK(checkin_opens(s, defaults) == utc("2027-03-28T09:55:00+02:00"));
    s.status = "cancelled";
    CHECK(may_check_in(s, "confirmed", false, s.start, defaults) == checkin_refusal::session_not_open);
    CHECK(checkin_refusal_code(checkin_refusal::too_early) == "too-early");
}

TEST_CASE("the windows count elapsed minutes across the DST changes in the camp's zone", "[domain][day][dst]")
{
    // 03:00 CEST on 28 March 2027: 02:45 local does not exist; check-in opens 15 real
    // minutes before, at 01:45 CET (00:45 UTC).
    auto start = resolve_local(date::local_days{date::year{2027} / 3 / 28} + 3h, berlin());
    REQUIRE(start);
    session spring = at("2027-03-28T03:00:00+02:00");
    CHECK(spring.start == *start);
    CHECK(checkin_opens(spring, defaults) == utc("2027-03-28T00:45:00Z"));
    // 02:30 on 31 October 2027 happens twice; a session there is the first (CEST), and
    // its founder becomes a no-show 10 real minutes later, still before the clocks turn back.
    auto autumn_start = resolve_local(date::local_days{date::year{2027} / 10 / 31} + 2h + 30min, berlin());
    REQUIRE(autumn_start);
    session autumn;
    autumn.id = "autumn";
    autumn.start = *autumn_start;
    autumn.end = autumn.start + 30min;
    CHECK(autumn.start == utc("2027-10-31T00:30:00Z"));
    CHECK(release_due(autumn, defaults) == utc("2027-10-31T00:40:00Z"));
    CHECK(may_release(autumn, held("confirmed"), utc("2027-10-31T00:39:59Z"), defaults) == release_refusal::too_early);
    CHECK(may_release(autumn, held("confirmed"), utc("2027-10-31T00:40:00Z"), defaults) == release_refusal::none);
}

TEST_CASE("a founder not checked in 10 minutes after the start may be released, never one who is here",
          "[domain][day][release]")
{
    session s = at("2027-01-12T14:00:00+01:00");
    CHECK(may_release(s, held("confirmed"), s.start + 10min - 1s, defaults) == release_refusal::too_early);
    CHECK(may_release(s, held("confirmed"), s.start + 10min, defaults) == release_refusal::none);
    CHECK(may_release(s, held("confirmed", true), s.start + 20min, defaults) == release_refusal::checked_in);
    CHECK(may_release(s, held("no_show"), s.start + 20min, defaults) == release_refusal::not_confirmed);
    CHECK(may_release(s, held("confirmed"), s.end, defaults) == release_refusal::session_over);
    s.late_minutes = 15; // the expert is late, so the founder is not yet
    CHECK(may_release(s, held("confirmed"), s.start + 20min, defaults) == release_refusal::too_early);
    CHECK(release_due(s, defaults) == s.start + 25min);
    day_settings camp = defaults;
    camp.release_after = 5min;
    CHECK(release_due(s, camp) == s.start + 20min);
    CHECK(release_refusal_code(release_refusal::checked_in) == "checked-in");
}

TEST_CASE("a session left outside its expert's changed office hours still takes place for the founders it holds",
          "[domain][day][release][checkin]")
{
    session s = at("2027-01-12T14:00:00+01:00");
    s.status = "orphaned";
    CHECK(takes_place(s));
    CHECK(may_check_in(s, "confirmed", false, s.start, defaults) == checkin_refusal::none);
    CHECK(may_release(s, held("confirmed"), s.start + 10min, defaults) == release_refusal::none);
    s.status = "cancelled";
    CHECK_FALSE(takes_place(s));
    CHECK(may_check_in(s, "confirmed", false, s.start, defaults) == checkin_refusal::session_not_open);
    CHECK(may_release(s, held("confirmed"), s.start + 10min, defaults) == release_refusal::session_not_open);
    s.status = "removed";
    CHECK_FALSE(takes_place(s));
}

TEST_CASE("running late may be said from late_notice before the start until the end, for a session that takes place",
          "[domain][day][late]")
{
    session s = at("2027-01-12T14:00:00+01:00", 60);
    CHECK(defaults.late_notice == 24h);
    CHECK(late_from(s, defaults) == s.start - 24h);
    CHECK(may_announce_late(s, s.start - 24h - 1s, defaults) == late_refusal::too_early);
    CHECK(may_announce_late(s, s.start - 24h, defaults) == late_refusal::none);
    CHECK(may_announce_late(s, s.start + 30min, defaults) == late_refusal::none);
    CHECK(may_announce_late(s, s.end, defaults) == late_refusal::session_over);
    s.status = "orphaned";
    CHECK(may_announce_late(s, s.start, defaults) == late_refusal::none);
    s.status = "cancelled";
    CHECK(may_announce_late(s, s.start, defaults) == late_refusal::session_not_open);
}

TEST_CASE("a slot is free for walk-ins from 30 minutes before its start while 10 minutes of it are left",
          "[domain][day][walkin]")
{
    session s = at("2027-01-12T14:00:00+01:00", 30);
    CHECK_FALSE(walkin_slot(s, s.start - 30min - 1s, defaults));
    CHECK(walkin_slot(s, s.start - 30min, defaults) == walkin_window{s.start, s.end});
    CHECK(walkin_slot(s, s.start + 20min, defaults) == walkin_window{s.start + 20min, s.end}); // exactly 10 left
    CHECK_FALSE(walkin_slot(s, s.start + 20min + 1s, defaults));
    session full = s;
    full.taken = 1;
    CHECK_FALSE(walkin_slot(full, s.start, defaults));
    session waited_for = s;
    waited_for.waiting = 1; // the waitlist comes first
    CHECK_FALSE(walkin_slot(waited_for, s.start, defaults));
    session late = s;
    late.late_minutes = 10;
    CHECK(walkin_slot(late, s.start, defaults) == walkin_window{s.start + 10min, s.end});
    session cancelled = s;
    cancelled.status = "cancelled";
    CHECK_FALSE(walkin_slot(cancelled, s.start, defaults));
}

TEST_CASE("the offer goes to the first in the queue without an offer whose topic fits", "[domain][day][walkin]")
{
    std::vector<queue_entry> queue{{"t1", "E-Commerce", true}, {"t2", "Design", false}, {"t3", "", false},
                                   {"t4", "IT-Sicherheit", false}};
    std::vector<std::string> topics{"it-sicherheit", "Datenschutz"};
    CHECK(next_in_line(queue, topics) == 2u); // t1 holds an offer, t2 wants design, t3 takes anything
    queue.erase(queue.begin() + 2);
    CHECK(next_in_line(queue, topics) == 2u); // t4, topics compared without case
    queue.pop_back();
    CHECK_FALSE(next_in_line(queue, topics));
    CHECK_FALSE(next_in_line(std::vector<queue_entry>{}, topics));
    CHECK(offer_deadline(utc("2027-01-12T13:40:00Z"), defaults) == utc("2027-01-12T13:45:00Z"));
}

TEST_CASE("ending early gives the rest to walk-ins if it is long enough, and extending needs the next session free",
          "[domain][day][controls]")
{
    session s = at("2027-01-12T14:00:00+01:00", 30, "s1");
    CHECK(may_end_early(s, s.start - 1s, defaults).refusal == end_early_refusal::not_running);
    auto early = may_end_early(s, s.start + 18min, defaults);
    CHECK(early.refusal == end_early_refusal::none);
    CHECK(early.for_walkins == walkin_window{s.start + 18min, s.end});
    auto short_rest = may_end_early(s, s.start + 21min, defaults);
    CHECK(short_rest.refusal == end_early_refusal::none);
    CHECK_FALSE(short_rest.for_walkins);

    session next = at("2027-01-12T14:30:00+01:00", 30, "s2");
    session after = at("2027-01-12T15:00:00+01:00", 30, "s3");
    std::vector<session> later{after, next};
    auto free_next = may_extend(s, later, s.start + 25min, defaults);
    CHECK(free_next.refusal == extend_refusal::none);
    CHECK(free_next.new_end == s.end + 10min);
    CHECK(free_next.closes_session == "s2");
    later[1].taken = 1;
    auto booked_next = may_extend(s, later, s.start + 25min, defaults);
    CHECK(booked_next.refusal == extend_refusal::next_session_booked);
    CHECK(extend_refusal_code(booked_next.refusal) == "next-session-booked");
    // A session that begins exactly where the extension ends is not reached.
    std::vector<session> gap{at("2027-01-12T14:40:00+01:00", 30, "s4")};
    gap[0].taken = 1;
    CHECK(may_extend(s, gap, s.start + 25min, defaults).refusal == extend_refusal::none);
    CHECK(may_extend(s, gap, s.end, defaults).refusal == extend_refusal::session_over);
}

TEST_CASE("extending across the autumn change adds elapsed minutes and names the booked session in its way",
          "[domain][day][controls][dst]")
{
    // 02:40 CEST on the day the clocks go back: 30 minutes later it is 02:10 CET.
    session s = at("2026-10-25T02:40:00+02:00", 30, "night");
    CHECK(s.end == utc("2026-10-25T02:10:00+01:00"));
    session next = at("2026-10-25T02:10:00+01:00", 30, "next");
    next.waiting = 1; // nobody holds a seat, but someone waits for one
    std::vector<session> later{next};
    auto v = may_extend(s, later, s.start + 20min, defaults);
    CHECK(v.refusal == extend_refusal::next_session_booked);
    CHECK(v.blocked_by == "next");
    later[0].waiting = 0;
    auto free = may_extend(s, later, s.start + 20min, defaults);
    CHECK(free.refusal == extend_refusal::none);
    CHECK(free.new_end == utc("2026-10-25T02:20:00+01:00"));
    CHECK(free.closes_session == "next");
    CHECK(free.blocked_by.empty());
    // Ending early in the repeated hour: the rest counts elapsed minutes too.
    auto early = may_end_early(s, utc("2026-10-25T02:55:00+02:00"), defaults);
    REQUIRE(early.for_walkins);
    CHECK(early.for_walkins->to - early.for_walkins->from == 15min);
    // A cancelled session offers neither.
    s.status = "cancelled";
    CHECK(may_end_early(s, s.start + 5min, defaults).refusal == end_early_refusal::session_not_open);
    CHECK(may_extend(s, later, s.start + 5min, defaults).refusal == extend_refusal::session_not_open);
}

TEST_CASE("two no-shows within 60 calendar days limit a founder to one upcoming booking until the first passes",
          "[domain][day][no-show][dst]")
{
    std::vector<instant> no_shows{utc("2027-03-01T10:00:00+01:00"), utc("2027-03-15T10:00:00+01:00")};
    auto limited = limit_after_no_shows(no_shows, utc("2027-04-01T12:00:00Z"), 3, berlin(), defaults);
    CHECK(limited.max_upcoming == 1);
    // 60 calendar days after 1 March 10:00 CET is 30 April 10:00 CEST: 08:00 UTC, an
    // hour before 60 x 24 hours would have said.
    REQUIRE(limited.limited_until);
    CHECK(*limited.limited_until == utc("2027-04-30T08:00:00Z"));
    CHECK(limit_after_no_shows(no_shows, utc("2027-04-30T07:59:59Z"), 3, berlin(), defaults).max_upcoming == 1);
    auto lifted = limit_after_no_shows(no_shows, utc("2027-04-30T08:00:00Z"), 3, berlin(), defaults);
    CHECK(lifted.max_upcoming == 3);
    CHECK_FALSE(lifted.limited_until);
    // One no-show alone, or one that has not happened yet, does not count.
    CHECK(limit_after_no_shows(std::vector<instant>{no_shows[0]}, utc("2027-04-01T12:00:00Z"), 3, berlin(), defaults)
              .max_upcoming == 3);
    std::vector<instant> with_future{no_shows[0], utc("2027-05-01T10:00:00Z")};
    CHECK(limit_after_no_shows(with_future, utc("2027-04-01T12:00:00Z"), 3, berlin(), defaults).max_upcoming == 3);
    // A limit of 0 turns it off; a founder already allowed fewer keeps that.
    day_settings off = defaults;
    off.no_show_limit = 0;
    CHECK(limit_after_no_shows(no_shows, utc("2027-04-01T12:00:00Z"), 3, berlin(), off).max_upcoming == 3);
    CHECK(limit_after_no_shows(no_shows, utc("2027-04-01T12:00:00Z"), 1, berlin(), defaults).max_upcoming == 1);
}

TEST_CASE("a camp's own release settings override the hub's, and unset ones keep the hub's",
          "[domain][day][release]")
{
    day_settings hub;
    hub.release_after = 12min;
    hub.auto_release = true;
    camp plain;
    CHECK(camp_day(hub, plain).release_after == 12min);
    CHECK(camp_day(hub, plain).auto_release);
    camp strict;
    strict.release_after_minutes = 5;
    strict.auto_release = false;
    day_settings d = camp_day(hub, strict);
    CHECK(d.release_after == 5min);
    CHECK_FALSE(d.auto_release);
    CHECK(d.checkin_open == hub.checkin_open);
    session s = at("2027-01-12T14:00:00+01:00");
    CHECK(may_release(s, held("confirmed"), s.start + 5min - 1s, d) == release_refusal::too_early);
    CHECK(may_release(s, held("confirmed"), s.start + 5min, d) == release_refusal::none);
    CHECK(may_release(s, held("confirmed"), s.start + 5min, camp_day(hub, plain)) == release_refusal::too_early);
    strict.release_after_minutes = 0; // released at the start itself
    CHECK(may_release(s, held("confirmed"), s.start, camp_day(hub, strict)) == release_refusal::none);
    CHECK(may_release(s, held("confirmed"), s.start - 1s, camp_day(hub, strict)) == release_refusal::too_early);
}

TEST_CASE("an expert running late across the autumn change moves the release by elapsed minutes, not wall time",
          "[domain][day][release][dst]")
{
    // 02:50 CEST on 31 October 2027 (00:50Z); the expert is 15 minutes late, so the
    // effective start is 01:05Z (02:05 CET, the second 02:05 of that night), and the
    // founder is a no-show 10 minutes later, at 01:15Z = 02:15 CET.
    auto start = resolve_local(date::local_days{date::year{2027} / 10 / 31} + 2h + 50min, berlin());
    REQUIRE(start);
    session s;
    s.id = "late-autumn";
    s.start = *start;
    s.end = s.start + 60min;
    s.late_minutes = 15;
    CHECK(s.start == utc("2027-10-31T00:50:00Z"));
    CHECK(effective_start(s) == utc("2027-10-31T02:05:00+01:00"));
    CHECK(release_due(s, defaults) == utc("2027-10-31T02:15:00+01:00"));
    CHECK(may_release(s, held("confirmed"), utc("2027-10-31T01:14:59Z"), defaults) == release_refusal::too_early);
    CHECK(may_release(s, held("confirmed"), utc("2027-10-31T01:15:00Z"), defaults) == release_refusal::none);
    CHECK(may_release(s, held("confirmed"), s.end - 1s, defaults) == release_refusal::none);
    CHECK(may_release(s, held("confirmed"), s.end, defaults) == release_refusal::session_over);
    // Spring: 01:55 CET on 28 March 2027, 10 late; 02:05 local does not exist, the
    // effective start is 03:05 CEST (01:05Z) and the release 01:15Z.
    session spring = at("2027-03-28T01:55:00+01:00", 60, "late-spring");
    spring.late_minutes = 10;
    CHECK(release_due(spring, defaults) == utc("2027-03-28T03:15:00+02:00"));
}

TEST_CASE("a founder who moved up from the waitlist after the start has the full release time from the promotion",
          "[domain][day][release]")
{
    session s = at("2027-01-12T14:00:00+01:00", 60);
    CHECK(release_due(s, instant{}, defaults) == s.start + 10min);              // never promoted
    CHECK(release_due(s, s.start - 1h, defaults) == s.start + 10min);           // promoted before the start
    CHECK(release_due(s, s.start + 12min, defaults) == s.start + 22min);        // promoted after it
    s.late_minutes = 20;
    CHECK(release_due(s, s.start + 12min, defaults) == s.start + 30min);        // the expert is later still
}

TEST_CASE("a walk-in seated after the start, or a founder moved up then, has the late-seat grace from then, even "
          "where no-shows go at the start",
          "[domain][day][release][walkin]")
{
    session s = at("2027-01-12T14:00:00+01:00", 60);
    booking ahead;
    ahead.created_at = s.start - 2h;
    CHECK(seated_at(ahead) == instant{});
    booking walkin = ahead;
    walkin.walkin = true;
    walkin.created_at = s.start + 20min; // took the offer (or was called in) 20 minutes in
    CHECK(seated_at(walkin) == s.start + 20min);
    booking early_walkin = walkin;
    early_walkin.created_at = s.start - 10min; // took a seat before the start: like anyone booked ahead
    CHECK(release_due(s, seated_at(early_walkin), defaults) == s.start + 10min);

    CHECK(late_seat_grace(defaults) == 10min); // release_after (10 min) is the longer
    CHECK(release_due(s, seated_at(walkin), defaults) == s.start + 30min);
    day_settings at_start = defaults;
    at_start.release_after = 0min; // a hub that releases no-shows right at the start
    CHECK(release_due(s, seated_at(ahead), at_start) == s.start);
    CHECK(late_seat_grace(at_start) == at_start.claim); // five minutes to reach the room
    CHECK(release_due(s, seated_at(walkin), at_start) == s.start + 20min + 5min);
    booking moved_up = ahead;
    moved_up.promoted_at = s.start + 12min;
    CHECK(release_due(s, seated_at(moved_up), at_start) == s.start + 17min);

    // What the sweep goes by (release.lua applies the same): the founder seated late is not a
    // no-show until their own time is up, the one booked ahead is from the start.
    walkin.status = ahead.status = "confirmed";
    CHECK(may_release(s, ahead, s.start, at_start) == release_refusal::none);
    CHECK(may_release(s, walkin, s.start + 20min, at_start) == release_refusal::too_early);
    CHECK(may_release(s, walkin, s.start + 25min - 1s, at_start) == release_refusal::too_early);
    CHECK(may_release(s, walkin, s.start + 25min, at_start) == release_refusal::none);
    CHECK(may_release(s, walkin, s.start + 30min - 1s, defaults) == release_refusal::too_early);
    CHECK(may_release(s, walkin, s.start + 30min, defaults) == release_refusal::none);
}

TEST_CASE("the lobby's walk-in summary counts everyone in the queue and lists open offers by ticket, nothing else",
          "[domain][walkin]")
{
    using namespace sp::domain;
    instant t{std::chrono::seconds(1'800'000'000)};
    std::vector<walkin_ticket> queue{{3, "waiting", "", {}}, {5, "offered", "s2", t}, {1, "offered", "s1", t + 60s},
                                     {7, "waiting", "", {}}};
    walkin_summary s = summarize_queue(queue);
    CHECK(s.waiting == 4);
    REQUIRE(s.offers.size() == 2);
    CHECK(s.offers[0] == walkin_summary::offer{1, "s1", t + 60s});
    CHECK(s.offers[1] == walkin_summary::offer{5, "s2", t});
    CHECK(summarize_queue({}).waiting == 0);
}

TEST_CASE("a session holding an open walk-in offer, or in the expert's busy time, is not free for walk-ins",
          "[domain][walkin]")
{
    using namespace sp::domain;
    session s;
    s.status = "open";
    s.seats = 1;
    instant now{std::chrono::seconds(1'800'000'000)};
    s.start = now + 5min;
    s.end = now + 35min;
    day_settings d;
    CHECK(walkin_slot(s, now, d).has_value());
    s.offer_entry = "w1";
    CHECK(!walkin_slot(s, now, d).has_value());
    s.offer_entry.clear();
    s.busy = true;
    CHECK(!walkin_slot(s, now, d).has_value());
}
