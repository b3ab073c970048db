#include "domain/office_hours.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace sp::domain;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {
date::year_month_day ymd(int y, unsigned m, unsigned d)
{
    return date::year{y} / date::month{m} / date::day{d};
}

instant utc(int y, unsigned m, unsigned d, int h = 0, int min = 0)
{
    return date::sys_days{ymd(y, m, d)} + hours{h} + minutes{min};
}

minutes hm(int h, int m = 0)
{
    return hours{h} + minutes{m};
}

std::string text(instant t)
{
    return date::format("%FT%TZ", t);
}

office_hour_rule rule_with(std::vector<weekly_window> windows, minutes slot_length = minutes{60},
                           std::string zone = "Europe/Berlin")
{
    office_hour_rule r;
    r.id = "r7";
    r.expert_id = "e1";
    r.camp_id = "c1";
    r.room_id = "room-1";
    r.zone = std::move(zone);
    r.windows = std::move(windows);
    r.slot_length = slot_length;
    r.seats = 1;
    r.valid_from = ymd(2026, 1, 1);
    return r;
}

std::vector<std::string> starts(const std::vector<planned_session>& sessions)
{
    std::vector<std::string> out;
    for (const auto& s : sessions)
        out.push_back(text(s.start));
    return out;
}

std::vector<std::string> ids(const std::vector<planned_session>& sessions)
{
    std::vector<std::string> out;
    for (const auto& s : sessions)
        out.push_back(s.id);
    return out;
}

std::vector<std::string> fields(const std::vector<rule_problem>& problems)
{
    std::vector<std::string> out;
    for (const auto& p : problems)
        out.push_back(p.field);
    return out;
}

bool has_field(const std::vector<rule_problem>& problems, std::string_view field)
{
    return std::any_of(problems.begin(), problems.end(), [&](const rule_problem& p) { return p.field == field; });
}

const std::vector<rule_exception> no_exceptions;
} // namespace

TEST_CASE("a Monday 14:00 office hour is 13:00Z in winter and 12:00Z in summer", "[office_hours][dst]")
{
    auto rule = rule_with({{date::Monday, hm(14), hm(15)}});
    auto sessions = expand(rule, no_exceptions, utc(2026, 3, 16), utc(2026, 4, 7));
    CHECK(starts(sessions) == std::vector<std::string>{"2026-03-16T13:00:00Z", "2026-03-23T13:00:00Z",
                                                       "2026-03-30T12:00:00Z", "2026-04-06T12:00:00Z"});
    for (const auto& s : sessions)
        CHECK(s.end - s.start == hours{1});
}

TEST_CASE("a Sunday 14:00 office hour stays 14:00 local on the day of the March DST change", "[office_hours][dst]")
{
    auto rule = rule_with({{date::Sunday, hm(14), hm(15)}});
    auto sessions = expand(rule, no_exceptions, utc(2026, 3, 21), utc(2026, 4, 6));
    CHECK(starts(sessions) ==
          std::vector<std::string>{"2026-03-22T13:00:00Z", "2026-03-29T12:00:00Z", "2026-04-05T12:00:00Z"});
}

TEST_CASE("a 14:00 office hour stays 14:00 local across the October DST change", "[office_hours][dst]")
{
    auto rule = rule_with({{date::Sunday, hm(14), hm(15)}, {date::Monday, hm(14), hm(15)}});
    auto berlin = find_zone("Europe/Berlin");
    auto sessions = expand(rule, no_exceptions, utc(2026, 10, 18), utc(2026, 10, 27));
    CHECK(starts(sessions) == std::vector<std::string>{"2026-10-18T12:00:00Z", "2026-10-19T12:00:00Z",
                                                       "2026-10-25T13:00:00Z", "2026-10-26T13:00:00Z"});
    REQUIRE(sessions.size() == 4);
    CHECK(format_rfc3339(sessions[1].start, berlin) == "2026-10-19T14:00:00+02:00");
    CHECK(format_rfc3339(sessions[3].start, berlin) == "2026-10-26T14:00:00+01:00");
    CHECK(format_rfc3339(sessions[3].end, berlin) == "2026-10-26T15:00:00+01:00");
}

TEST_CASE("a slot at 02:30 on 29 March 2026 in Berlin is skipped", "[office_hours][dst]")
{
    auto rule = rule_with({{date::Sunday, hm(2), hm(4)}}, minutes{30});
    auto normal = expand(rule, no_exceptions, utc(2026, 3, 21), utc(2026, 3, 23));
    CHECK(starts(normal) == std::vector<std::string>{"2026-03-22T01:00:00Z", "2026-03-22T01:30:00Z",
                                                     "2026-03-22T02:00:00Z", "2026-03-22T02:30:00Z"});
    // 02:00 and 02:30 do not exist that night; 03:00 and 03:30 are summer time.
    auto dst_day = expand(rule, no_exceptions, utc(2026, 3, 28), utc(2026, 3, 30));
    CHECK(starts(dst_day) == std::vector<std::string>{"2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z"});
}

TEST_CASE("a slot that ends inside the March gap lasts its slot length", "[office_hours][dst]")
{
    auto rule = rule_with({{date::Sunday, hm(1, 30), hm(2)}}, minutes{30});
    auto sessions = expand(rule, no_exceptions, utc(2026, 3, 28), utc(2026, 3, 30));
    REQUIRE(sessions.size() == 1);
    CHECK(text(sessions[0].start) == "2026-03-29T00:30:00Z");
    CHECK(text(sessions[0].end) == "2026-03-29T01:00:00Z");
}

TEST_CASE("a slot at 02:30 on 25 October 2026 in Berlin takes the first occurrence", "[office_hours][dst]")
{
    auto rule = rule_with({{date::Sunday, hm(2), hm(3)}}, minutes{30});
    auto sessions = expand(rule, no_exceptions, utc(2026, 10, 24), utc(2026, 10, 26));
    CHECK(starts(sessions) == std::vector<std::string>{"2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z"});
    REQUIRE(sessions.size() == 2);
    CHECK(text(sessions[0].end) == "2026-10-25T00:30:00Z");
    // The end is 03:00 by the wall clock, which is after the repeated hour.
    CHECK(text(sessions[1].end) == "2026-10-25T02:00:00Z");
}

TEST_CASE("New York office hours follow its own 8 March and 1 November changes", "[office_hours][dst]")
{
    auto rule =
        rule_with({{date::Monday, hm(9), hm(10)}, {date::Sunday, hm(1, 30), hm(3)}}, minutes{30}, "America/New_York");
    auto march = expand(rule, no_exceptions, utc(2026, 3, 2), utc(2026, 3, 10));
    // Sunday 8 March: 01:30 EST, then 02:00 and 02:30 do not exist.
    CHECK(starts(march) == std::vector<std::string>{"2026-03-02T14:00:00Z", "2026-03-02T14:30:00Z",
                                                    "2026-03-08T06:30:00Z", "2026-03-09T13:00:00Z",
                                                    "2026-03-09T13:30:00Z"});
    auto november = expand(rule, no_exceptions, utc(2026, 10, 26), utc(2026, 11, 3));
    // Sunday 1 November: 01:30 is ambiguous and taken on daylight time (05:30Z).
    CHECK(starts(november) == std::vector<std::string>{"2026-10-26T13:00:00Z", "2026-10-26T13:30:00Z",
                                                       "2026-11-01T05:30:00Z", "2026-11-01T07:00:00Z",
                                                       "2026-11-01T07:30:00Z", "2026-11-02T14:00:00Z",
                                                       "2026-11-02T14:30:00Z"});
}

TEST_CASE("expanding twice gives identical sessions", "[office_hours][idempotence]")
{
    auto rule = rule_with({{date::Monday, hm(14), hm(16)}, {date::Thursday, hm(9), hm(11)}}, minutes{25});
    rule.buffer = minutes{5};
    std::vector<rule_exception> exceptions{{rule_exception::kind::day_off, ymd(2026, 3, 16)}};
    auto first = expand(rule, exceptions, utc(2026, 3, 1), utc(2026, 5, 1));
    auto second = expand(rule, exceptions, utc(2026, 3, 1), utc(2026, 5, 1));
    REQUIRE_FALSE(first.empty());
    CHECK(ids(first) == ids(second));
    CHECK(starts(first) == starts(second));
}

TEST_CASE("overlapping ranges give the same IDs for their common sessions", "[office_hours][idempotence]")
{
    auto rule = rule_with({{date::Monday, hm(14), hm(16)}, {date::Sunday, hm(14), hm(15)}}, minutes{30});
    auto early = expand(rule, no_exceptions, utc(2026, 3, 1), utc(2026, 4, 1));
    auto late = expand(rule, no_exceptions, utc(2026, 3, 15), utc(2026, 4, 15));
    auto in_common = [](const std::vector<planned_session>& all) {
        std::vector<std::string> out;
        for (const auto& s : all)
            if (s.start >= utc(2026, 3, 15) && s.start < utc(2026, 4, 1)) out.push_back(s.id);
        return out;
    };
    CHECK_FALSE(in_common(early).empty());
    CHECK(in_common(early) == in_common(late));
}

TEST_CASE("a session ID is the rule ID and the start's epoch seconds", "[office_hours][idempotence]")
{
    CHECK(session_id("r7", instant{seconds{1764594000}}) == "r7-1764594000");
    auto rule = rule_with({{date::Monday, hm(14), hm(15)}});
    rule.valid_from = ymd(2025, 12, 1);
    auto sessions = expand(rule, no_exceptions, utc(2025, 12, 1), utc(2025, 12, 2));
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].id == "r7-1764594000");
    CHECK(sessions[0].rule_id == "r7");
}

TEST_CASE("a day off removes every slot of that local date", "[office_hours][exceptions]")
{
    auto rule = rule_with({{date::Monday, hm(14), hm(16)}});
    std::vector<rule_exception> exceptions{
        {rule_exception::kind::day_off, ymd(2026, 3, 16)},
        {rule_exception::kind::extra_window, ymd(2026, 3, 16), hm(18), hm(19)},
    };
    auto sessions = expand(rule, exceptions, utc(2026, 3, 9), utc(2026, 3, 24));
    CHECK(starts(sessions) == std::vector<std::string>{"2026-03-09T13:00:00Z", "2026-03-09T14:00:00Z",
                                                       "2026-03-23T13:00:00Z", "2026-03-23T14:00:00Z"});
}

TEST_CASE("an extra window adds one-off slots on its date", "[office_hours][exceptions]")
{
    auto rule = rule_with({{date::Monday, hm(14), hm(15)}}, minutes{30});
    std::vector<rule_exception> exceptions{
        {rule_exception::kind::extra_window, ymd(2026, 3, 11), hm(10), hm(11)},        // a Wednesday
        {rule_exception::kind::extra_window, ymd(2026, 3, 9), hm(14, 30), hm(15, 30)}, // overlaps Monday's window
    };
    auto sessions = expand(rule, exceptions, utc(2026, 3, 9), utc(2026, 3, 17));
    CHECK(starts(sessions) == std::vector<std::string>{"2026-03-09T13:00:00Z", "2026-03-09T13:30:00Z",
                                                       "2026-03-09T14:00:00Z", "2026-03-11T09:00:00Z",
                                                       "2026-03-11T09:30:00Z", "2026-03-16T13:00:00Z",
                                                       "2026-03-16T13:30:00Z"});
}

TEST_CASE("valid_from and valid_until are inclusive local dates", "[office_hours]")
{
    auto rule = rule_with({{date::Monday, hm(0), hm(1)}});
    rule.valid_from = ymd(2026, 3, 2);
    rule.valid_until = ymd(2026, 3, 16);
    auto sessions = expand(rule, no_exceptions, utc(2026, 1, 1), utc(2026, 6, 1));
    // Midnight in Berlin is 23:00Z on the day before: the local date is what counts.
    CHECK(starts(sessions) ==
          std::vector<std::string>{"2026-03-01T23:00:00Z", "2026-03-08T23:00:00Z", "2026-03-15T23:00:00Z"});

    rule.valid_until.reset();
    auto open_ended = expand(rule, no_exceptions, utc(2026, 1, 1), utc(2026, 3, 31));
    CHECK(open_ended.size() == 5);
}

TEST_CASE("slots are packed with their buffer and must fit the window", "[office_hours]")
{
    SECTION("14:00-16:00 with 25 min slots and 5 min buffer gives four slots")
    {
        auto rule = rule_with({{date::Tuesday, hm(14), hm(16)}}, minutes{25});
        rule.buffer = minutes{5};
        auto sessions = expand(rule, no_exceptions, utc(2026, 1, 13), utc(2026, 1, 14));
        CHECK(starts(sessions) == std::vector<std::string>{"2026-01-13T13:00:00Z", "2026-01-13T13:30:00Z",
                                                           "2026-01-13T14:00:00Z", "2026-01-13T14:30:00Z"});
        for (const auto& s : sessions)
            CHECK(s.end - s.start == minutes{25});
    }
    SECTION("a 50 min slot in a 60 min window gives one slot")
    {
        auto rule = rule_with({{date::Tuesday, hm(14), hm(15)}}, minutes{50});
        CHECK(expand(rule, no_exceptions, utc(2026, 1, 13), utc(2026, 1, 14)).size() == 1);
    }
    SECTION("the buffer after the last slot need not fit")
    {
        auto rule = rule_with({{date::Tuesday, hm(14), hm(15)}}, minutes{30});
        CHECK(expand(rule, no_exceptions, utc(2026, 1, 13), utc(2026, 1, 14)).size() == 2);
        rule.buffer = minutes{5};
        CHECK(expand(rule, no_exceptions, utc(2026, 1, 13), utc(2026, 1, 14)).size() == 1);
    }
    SECTION("a window ending at 24:00 gives a slot ending at local midnight")
    {
        auto rule = rule_with({{date::Tuesday, hm(23), hm(24)}});
        auto sessions = expand(rule, no_exceptions, utc(2026, 1, 13), utc(2026, 1, 14));
        REQUIRE(sessions.size() == 1);
        CHECK(text(sessions[0].start) == "2026-01-13T22:00:00Z");
        CHECK(text(sessions[0].end) == "2026-01-13T23:00:00Z");
    }
}

TEST_CASE("only sessions starting from the range start up to, not including, its end are returned, in start order", "[office_hours]")
{
    auto rule =
        rule_with({{date::Wednesday, hm(9), hm(10)}, {date::Monday, hm(16), hm(17)}, {date::Monday, hm(9), hm(10)}});
    rule.seats = 4;
    auto sessions = expand(rule, no_exceptions, utc(2026, 1, 12, 8), utc(2026, 1, 14, 8));
    CHECK(starts(sessions) == std::vector<std::string>{"2026-01-12T08:00:00Z", "2026-01-12T15:00:00Z"});
    for (const auto& s : sessions)
        CHECK(s.seats == 4);

    CHECK(expand(rule, no_exceptions, utc(2026, 1, 12, 8, 0), utc(2026, 1, 12, 8, 0)).empty());
    CHECK(expand(rule, no_exceptions, utc(2026, 1, 13), utc(2026, 1, 12)).empty());
    CHECK(starts(expand(rule, no_exceptions, utc(2026, 1, 12, 8, 1), utc(2026, 1, 14, 8, 1))) ==
          std::vector<std::string>{"2026-01-12T15:00:00Z", "2026-01-14T08:00:00Z"});
}

TEST_CASE("a valid rule has no problems", "[office_hours][validate]")
{
    auto rule = rule_with({{date::Monday, hm(14), hm(16)}, {date::Friday, hm(9), hm(24)}}, minutes{30});
    CHECK(validate(rule).empty());
    rule.room_id.clear();
    rule.online_url = "https://meet.example/e1";
    CHECK(validate(rule).empty());
    rule.valid_until = rule.valid_from;
    CHECK(validate(rule).empty());
}

TEST_CASE("validate names the field of each problem", "[office_hours][validate]")
{
    auto valid = rule_with({{date::Monday, hm(14), hm(16)}, {date::Tuesday, hm(10), hm(12)}}, minutes{30});

    auto problems_of = [&](auto change) {
        auto rule = valid;
        change(rule);
        return validate(rule);
    };
    auto single_field = [&](auto change) {
        auto problems = problems_of(change);
        REQUIRE(problems.size() == 1);
        CHECK_FALSE(problems[0].message.empty());
        return problems[0].field;
    };

    CHECK(single_field([](auto& r) { r.zone = "Europe/Atlantis"; }) == "zone");
    CHECK(single_field([](auto& r) { r.windows.clear(); }) == "windows");
    CHECK(single_field([](auto& r) { r.windows[1].end = hm(10); }) == "windows[1].end");
    CHECK(single_field([](auto& r) { r.windows[1].end = hm(9); }) == "windows[1].end");
    CHECK(single_field([](auto& r) { r.windows[1].end = hm(24, 30); }) == "windows[1].end");
    CHECK(single_field([](auto& r) { r.windows[0].start = minutes{-10}; }) == "windows[0].start");
    CHECK(single_field([](auto& r) { r.windows[0].day = date::weekday{9}; }) == "windows[0].day");
    CHECK(single_field([](auto& r) { r.windows[1].end = hm(10, 20); }) == "windows[1].end"); // shorter than a slot
    CHECK(single_field([](auto& r) { r.seats = 0; }) == "seats");
    CHECK(single_field([](auto& r) { r.seats = 501; }) == "seats");
    CHECK(single_field([](auto& r) { r.slot_length = minutes{4}; }) == "slot_length");
    CHECK(single_field([](auto& r) {
              r.windows = {{date::Monday, hm(0), hm(24)}};
              r.slot_length = hm(8, 1);
          }) == "slot_length");
    CHECK(single_field([](auto& r) { r.buffer = minutes{-1}; }) == "buffer");
    CHECK(single_field([](auto& r) { r.buffer = hm(4, 1); }) == "buffer");
    CHECK(single_field([](auto& r) { r.valid_until = ymd(2025, 12, 31); }) == "valid_until");
    CHECK(single_field([](auto& r) { r.room_id.clear(); }) == "room_id");
    CHECK(single_field([](auto& r) { r.online_url = "https://meet.example/e1"; }) == "room_id");
}

TEST_CASE("a problem's message says what is wrong with its field", "[office_hours][validate]")
{
    auto rule = rule_with({{date::Monday, hm(14), hm(16)}, {date::Tuesday, hm(10), hm(10, 20)}}, minutes{30});
    rule.seats = 0;
    auto problems = validate(rule);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].field == "windows[1].end");
    CHECK(problems[0].message == "leaves the window 10:00-10:20 shorter than slot_length (30 min)");
    CHECK(problems[1].field == "seats");
    CHECK(problems[1].message == "must be between 1 and 500 (got 0)");

    rule = rule_with({{date::Monday, hm(14), hm(13)}});
    CHECK(validate(rule).at(0).message == "must be after start (14:00)");
}

TEST_CASE("validate accepts the limits themselves", "[office_hours][validate]")
{
    auto rule = rule_with({{date::Monday, hm(8), hm(16, 30)}}, minutes{5});
    rule.seats = 1;
    rule.buffer = minutes{0};
    CHECK(validate(rule).empty());
    rule.slot_length = hours{8};
    rule.seats = 500;
    rule.buffer = hours{4};
    CHECK(validate(rule).empty());
}

TEST_CASE("validate reports every problem at once", "[office_hours][validate]")
{
    auto rule = rule_with({{date::Monday, hm(14), hm(13)}});
    rule.zone = "Nowhere/Special";
    rule.seats = 0;
    rule.room_id.clear();
    CHECK(fields(validate(rule)) == std::vector<std::string>{"zone", "windows[0].end", "seats", "room_id"});
}

TEST_CASE("an extra window must lie within one day and end after it starts", "[office_hours][validate]")
{
    using kind = rule_exception::kind;
    CHECK(validate(rule_exception{kind::day_off, ymd(2026, 3, 16)}).empty());
    CHECK(validate(rule_exception{kind::extra_window, ymd(2026, 3, 16), hm(0), hm(24)}).empty());
    CHECK(validate(rule_exception{kind::extra_window, ymd(2026, 3, 16), hm(14), hm(15)}).empty());

    CHECK(fields(validate(rule_exception{kind::extra_window, ymd(2026, 3, 16), hm(14), hm(14)})) ==
          std::vector<std::string>{"end"});
    CHECK(fields(validate(rule_exception{kind::extra_window, ymd(2026, 3, 16), hm(15), hm(14)})) ==
          std::vector<std::string>{"end"});
    CHECK(fields(validate(rule_exception{kind::extra_window, ymd(2026, 3, 16), hm(23), hm(24, 1)})) ==
          std::vector<std::string>{"end"});
    CHECK(has_field(validate(rule_exception{kind::extra_window, ymd(2026, 3, 16), minutes{-30}, hm(1)}), "start"));
    CHECK(has_field(validate(rule_exception{kind::extra_window, ymd(2026, 3, 16), hm(24), hm(24)}), "start"));
    CHECK(fields(validate(rule_exception{kind::day_off, ymd(2026, 2, 30)})) == std::vector<std::string>{"date"});
}
