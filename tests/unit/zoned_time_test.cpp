#include "domain/zoned_time.hpp"

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

local_time local(int y, unsigned m, unsigned d, int h, int min)
{
    return date::local_days{ymd(y, m, d)} + hours{h} + minutes{min};
}

instant utc(int y, unsigned m, unsigned d, int h, int min, int s = 0)
{
    return date::sys_days{ymd(y, m, d)} + hours{h} + minutes{min} + seconds{s};
}

// Instants are compared as UTC text so a failure reads as a time, not a count.
std::string text(std::optional<instant> t)
{
    return t ? date::format("%FT%TZ", *t) : std::string("none");
}

const date::time_zone* zone(std::string_view name)
{
    const date::time_zone* z = find_zone(name);
    REQUIRE(z != nullptr);
    return z;
}
} // namespace

TEST_CASE("find_zone knows IANA names and returns nullptr for unknown ones", "[zoned_time]")
{
    CHECK(find_zone("Europe/Berlin") != nullptr);
    CHECK(find_zone("Europe/Berlin")->name() == "Europe/Berlin");
    CHECK(find_zone("America/New_York") != nullptr);
    CHECK(find_zone("UTC") != nullptr);
    CHECK(find_zone("Mars/Olympus_Mons") == nullptr);
    CHECK(find_zone("") == nullptr);
    CHECK(find_zone("europe/berlin ") == nullptr);
}

TEST_CASE("a booking at 14:00 Berlin on 26 October 2026 is 13:00 UTC", "[zoned_time]")
{
    auto berlin = zone("Europe/Berlin");
    auto t = resolve_local(local(2026, 10, 26, 14, 0), berlin);
    CHECK(text(t) == "2026-10-26T13:00:00Z");
    CHECK(format_rfc3339(*t, berlin) == "2026-10-26T14:00:00+01:00");
}

TEST_CASE("14:00 Berlin in summer is 12:00 UTC and prints +02:00", "[zoned_time]")
{
    auto berlin = zone("Europe/Berlin");
    auto t = resolve_local(local(2026, 7, 1, 14, 0), berlin);
    CHECK(text(t) == "2026-07-01T12:00:00Z");
    CHECK(format_rfc3339(*t, berlin) == "2026-07-01T14:00:00+02:00");
}

TEST_CASE("a local time in the March 2026 gap in Berlin does not exist", "[zoned_time][dst]")
{
    auto berlin = zone("Europe/Berlin");
    CHECK(text(resolve_local(local(2026, 3, 29, 1, 59), berlin)) == "2026-03-29T00:59:00Z");
    CHECK(text(resolve_local(local(2026, 3, 29, 2, 0), berlin)) == "none");
    CHECK(text(resolve_local(local(2026, 3, 29, 2, 30), berlin)) == "none");
    CHECK(text(resolve_local(local(2026, 3, 29, 3, 0), berlin)) == "2026-03-29T01:00:00Z");
}

TEST_CASE("an ambiguous local time in October 2026 in Berlin takes its first occurrence", "[zoned_time][dst]")
{
    auto berlin = zone("Europe/Berlin");
    // 02:30 happens at 00:30Z (summer time) and again at 01:30Z (winter time).
    auto t = resolve_local(local(2026, 10, 25, 2, 30), berlin);
    CHECK(text(t) == "2026-10-25T00:30:00Z");
    CHECK(format_rfc3339(*t, berlin) == "2026-10-25T02:30:00+02:00");
    CHECK(format_rfc3339(*t + hours{1}, berlin) == "2026-10-25T02:30:00+01:00");
    CHECK(text(resolve_local(local(2026, 10, 25, 3, 0), berlin)) == "2026-10-25T02:00:00Z");
}

TEST_CASE("New York's 2026 DST changes follow the same rules", "[zoned_time][dst]")
{
    auto new_york = zone("America/New_York");
    // 8 March: 02:00 -> 03:00; 1 November: 02:00 -> 01:00.
    CHECK(text(resolve_local(local(2026, 3, 8, 2, 30), new_york)) == "none");
    CHECK(text(resolve_local(local(2026, 3, 7, 14, 0), new_york)) == "2026-03-07T19:00:00Z");
    CHECK(text(resolve_local(local(2026, 3, 9, 14, 0), new_york)) == "2026-03-09T18:00:00Z");
    CHECK(text(resolve_local(local(2026, 11, 1, 1, 30), new_york)) == "2026-11-01T05:30:00Z");
    CHECK(text(resolve_local(local(2026, 11, 2, 14, 0), new_york)) == "2026-11-02T19:00:00Z");
    CHECK(format_rfc3339(utc(2026, 11, 2, 19, 0), new_york) == "2026-11-02T14:00:00-05:00");
    CHECK(format_rfc3339(utc(2026, 7, 1, 18, 0), new_york) == "2026-07-01T14:00:00-04:00");
}

TEST_CASE("Sydney's southern-hemisphere DST changes follow the same rules", "[zoned_time][dst]")
{
    auto sydney = zone("Australia/Sydney");
    // 5 April 2026: 03:00 -> 02:00; 4 October 2026: 02:00 -> 03:00.
    CHECK(text(resolve_local(local(2026, 1, 15, 14, 0), sydney)) == "2026-01-15T03:00:00Z");
    CHECK(text(resolve_local(local(2026, 7, 15, 14, 0), sydney)) == "2026-07-15T04:00:00Z");
    CHECK(text(resolve_local(local(2026, 4, 5, 2, 30), sydney)) == "2026-04-04T15:30:00Z");
    CHECK(text(resolve_local(local(2026, 10, 4, 2, 30), sydney)) == "none");
    CHECK(format_rfc3339(utc(2026, 1, 15, 3, 0), sydney) == "2026-01-15T14:00:00+11:00");
}

TEST_CASE("a zero offset prints as +00:00, not Z", "[zoned_time][rfc3339]")
{
    CHECK(format_rfc3339(utc(2026, 1, 1, 0, 0), zone("UTC")) == "2026-01-01T00:00:00+00:00");
    CHECK(format_rfc3339(utc(2026, 12, 1, 9, 5, 7), zone("Europe/London")) == "2026-12-01T09:05:07+00:00");
    CHECK(format_rfc3339(utc(2026, 7, 1, 9, 5, 7), zone("Europe/London")) == "2026-07-01T10:05:07+01:00");
}

TEST_CASE("a half-hour offset is printed with its minutes", "[zoned_time][rfc3339]")
{
    CHECK(format_rfc3339(utc(2026, 6, 1, 12, 0), zone("Asia/Kolkata")) == "2026-06-01T17:30:00+05:30");
}

TEST_CASE("RFC 3339 text round-trips through format and parse", "[zoned_time][rfc3339]")
{
    for (const char* name : {"Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC", "Asia/Kolkata"}) {
        auto z = zone(name);
        for (instant t : {utc(2026, 3, 29, 0, 59, 59), utc(2026, 3, 29, 1, 0), utc(2026, 10, 25, 0, 30),
                          utc(2026, 10, 25, 1, 30), utc(2026, 12, 31, 23, 59, 59), utc(2027, 1, 1, 0, 0)}) {
            INFO(name << " " << text(t));
            auto formatted = format_rfc3339(t, z);
            CHECK(text(parse_rfc3339(formatted)) == text(t));
        }
    }
}

TEST_CASE("parse_rfc3339 accepts Z and numeric offsets and drops fractional seconds", "[zoned_time][rfc3339]")
{
    CHECK(text(parse_rfc3339("2026-10-26T13:00:00Z")) == "2026-10-26T13:00:00Z");
    CHECK(text(parse_rfc3339("2026-10-26T14:00:00+01:00")) == "2026-10-26T13:00:00Z");
    CHECK(text(parse_rfc3339("2026-10-26T08:00:00-05:00")) == "2026-10-26T13:00:00Z");
    CHECK(text(parse_rfc3339("2026-10-26T18:30:00+05:30")) == "2026-10-26T13:00:00Z");
    CHECK(text(parse_rfc3339("2026-10-26T13:00:00.999Z")) == "2026-10-26T13:00:00Z");
    CHECK(text(parse_rfc3339("2026-10-26T14:00:00.5+01:00")) == "2026-10-26T13:00:00Z");
    CHECK(text(parse_rfc3339("2026-10-26t13:00:00z")) == "2026-10-26T13:00:00Z");
    CHECK(text(parse_rfc3339("2027-01-01T00:30:00+01:00")) == "2026-12-31T23:30:00Z");
    CHECK(text(parse_rfc3339("2028-02-29T12:00:00Z")) == "2028-02-29T12:00:00Z");
}

TEST_CASE("parse_rfc3339 rejects malformed and out-of-range text", "[zoned_time][rfc3339]")
{
    for (const char* bad : {
             "",
             "2026-10-26",
             "2026-10-26T14:00:00",  // no offset
             "2026-10-26T14:00Z",    // no seconds
             "2026-02-30T10:00:00Z", // no such day
             "2027-02-29T10:00:00Z", // not a leap year
             "2026-13-01T10:00:00Z", // no such month
             "2026-00-10T10:00:00Z",
             "2026-10-00T10:00:00Z",
             "2026-10-26T25:00:00Z", // hour 25
             "2026-10-26T24:00:00Z",
             "2026-10-26T14:60:00Z",
             "2026-10-26T14:00:60Z",
             "2026-10-26 14:00:00Z", // space instead of T
             "2026-10-26T14:00:00+1:00",
             "2026-10-26T14:00:00+0100",
             "2026-10-26T14:00:00+01",
             "2026-10-26T14:00:00+24:00",
             "2026-10-26T14:00:00+01:60",
             "2026-10-26T14:00:00.Z", // fraction without digits
             "2026-10-26T14:00:00Zx", // trailing garbage
             "2026-10-26T14:00:00+01:00 ",
             " 2026-10-26T14:00:00Z",
             "26-10-26T14:00:00Z",
             "2026-1-26T14:00:00Z",
             "2026-10-26T1:00:00Z",
             "+2026-10-26T14:00:00Z",
             "2026-10-26T14:00:00UTC",
         }) {
        INFO("\"" << bad << "\"");
        CHECK_FALSE(parse_rfc3339(bad).has_value());
    }
}

TEST_CASE("dates parse only as YYYY-MM-DD of a real day", "[zoned_time]")
{
    CHECK(parse_date("2026-03-29") == ymd(2026, 3, 29));
    CHECK(parse_date("2028-02-29") == ymd(2028, 2, 29));
    CHECK_FALSE(parse_date("2026-02-29"));
    CHECK_FALSE(parse_date("2026-04-31"));
    CHECK_FALSE(parse_date("2026-3-29"));
    CHECK_FALSE(parse_date("2026-03-29T00:00:00Z"));
    CHECK_FALSE(parse_date("29.03.2026"));
    CHECK_FALSE(parse_date(""));
    CHECK(format_date(ymd(2026, 3, 9)) == "2026-03-09");
    CHECK(format_date(*parse_date("2026-12-31")) == "2026-12-31");
}

TEST_CASE("times of day parse as HH:MM from 00:00 to 24:00", "[zoned_time]")
{
    CHECK(parse_time_of_day("00:00") == minutes{0});
    CHECK(parse_time_of_day("14:30") == minutes{14 * 60 + 30});
    CHECK(parse_time_of_day("23:59") == minutes{23 * 60 + 59});
    CHECK(parse_time_of_day("24:00") == minutes{24 * 60});
    CHECK_FALSE(parse_time_of_day("24:01"));
    CHECK_FALSE(parse_time_of_day("25:00"));
    CHECK_FALSE(parse_time_of_day("12:60"));
    CHECK_FALSE(parse_time_of_day("9:00"));
    CHECK_FALSE(parse_time_of_day("0900"));
    CHECK_FALSE(parse_time_of_day("09:00:00"));
    CHECK_FALSE(parse_time_of_day("-1:00"));
    CHECK_FALSE(parse_time_of_day(""));
    CHECK(format_time_of_day(minutes{5}) == "00:05");
    CHECK(format_time_of_day(minutes{14 * 60 + 30}) == "14:30");
    CHECK(format_time_of_day(minutes{24 * 60}) == "24:00");
}

TEST_CASE("the local date follows the zone, not UTC", "[zoned_time]")
{
    // 23:30Z on 31 October is already 1 November in Berlin, still 31 October in New York.
    instant t = utc(2026, 10, 31, 23, 30);
    CHECK(local_date(t, zone("Europe/Berlin")) == ymd(2026, 11, 1));
    CHECK(local_date(t, zone("America/New_York")) == ymd(2026, 10, 31));
    CHECK(local_date(t, zone("UTC")) == ymd(2026, 10, 31));
}

TEST_CASE("ISO weeks around New Year belong to the year of their Thursday", "[zoned_time][iso_week]")
{
    auto berlin = zone("Europe/Berlin");
    auto key = [&](int y, unsigned m, unsigned d) {
        return iso_week_key(*resolve_local(local(y, m, d, 12, 0), berlin), berlin);
    };
    CHECK(key(2025, 12, 28) == "2025-W52");
    CHECK(key(2025, 12, 29) == "2026-W01"); // 1 January 2026 is a Thursday
    CHECK(key(2026, 1, 1) == "2026-W01");
    CHECK(key(2026, 12, 1) == "2026-W49");
    CHECK(key(2026, 12, 31) == "2026-W53");
    CHECK(key(2027, 1, 1) == "2026-W53");
    CHECK(key(2027, 1, 3) == "2026-W53");
    CHECK(key(2027, 1, 4) == "2027-W01");
    CHECK(key(2020, 12, 31) == "2020-W53");
    CHECK(key(2021, 1, 3) == "2020-W53");
    CHECK(key(2022, 1, 2) == "2021-W52");
    CHECK(key(2022, 1, 3) == "2022-W01");
    CHECK(key(2024, 12, 30) == "2025-W01");
    CHECK(key(2027, 12, 31) == "2027-W52");
    CHECK(key(2028, 1, 3) == "2028-W01");
}

TEST_CASE("the ISO week is taken in the camp's zone, not in UTC", "[zoned_time][iso_week]")
{
    auto berlin = zone("Europe/Berlin");
    auto new_york = zone("America/New_York");
    auto utc_zone = zone("UTC");
    // Monday 7 December 2026, 00:30 in Berlin is still Sunday 23:30 in UTC.
    instant berlin_monday = *resolve_local(local(2026, 12, 7, 0, 30), berlin);
    CHECK(iso_week_key(berlin_monday, berlin) == "2026-W50");
    CHECK(iso_week_key(berlin_monday, utc_zone) == "2026-W49");
    // Sunday 6 December 2026, 23:30 in Berlin is 22:30Z, the same week everywhere east of New York.
    instant berlin_sunday = *resolve_local(local(2026, 12, 6, 23, 30), berlin);
    CHECK(iso_week_key(berlin_sunday, berlin) == "2026-W49");
    // Sunday 23:30 in New York is already Monday 04:30 in UTC.
    instant new_york_sunday = *resolve_local(local(2026, 12, 6, 23, 30), new_york);
    CHECK(text(new_york_sunday) == "2026-12-07T04:30:00Z");
    CHECK(iso_week_key(new_york_sunday, new_york) == "2026-W49");
    CHECK(iso_week_key(new_york_sunday, utc_zone) == "2026-W50");
}

TEST_CASE("a local day starts at midnight, or when the clocks jump if midnight is skipped", "[zoned_time][dst]")
{
    auto berlin = zone("Europe/Berlin");
    CHECK(text(start_of_local_day(ymd(2026, 3, 29), berlin)) == "2026-03-28T23:00:00Z");
    CHECK(text(start_of_local_day(ymd(2026, 3, 30), berlin)) == "2026-03-29T22:00:00Z");
    CHECK(text(start_of_local_day(ymd(2026, 10, 25), berlin)) == "2026-10-24T22:00:00Z");
    CHECK(text(start_of_local_day(ymd(2026, 10, 26), berlin)) == "2026-10-25T23:00:00Z");
    // Chile moves its clocks at midnight: 6 September 2026 begins at 01:00 local (-03).
    auto santiago = zone("America/Santiago");
    CHECK(text(start_of_local_day(ymd(2026, 9, 6), santiago)) == "2026-09-06T04:00:00Z");
    CHECK(format_rfc3339(start_of_local_day(ymd(2026, 9, 6), santiago), santiago) == "2026-09-06T01:00:00-03:00");
}
