#include "calendar/busy_times.hpp"
#include "calendar/windows_zones.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace sp;
using calendar::busy_interval;

namespace {

std::string fixture(const std::string& name)
{
    std::ifstream in(std::string(SP_SOURCE_DIR) + "/tests/unit/calendars/" + name, std::ios::binary);
    REQUIRE(in);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

domain::instant utc(const std::string& rfc3339)
{
    auto t = domain::parse_rfc3339(rfc3339);
    REQUIRE(t);
    return *t;
}

busy_interval span(const std::string& start, const std::string& end) { return {utc(start), utc(end)}; }

const date::time_zone* berlin() { return domain::find_zone("Europe/Berlin"); }

calendar::busy_reading read(const std::string& text, const std::string& from = "2027-01-01T00:00:00Z",
                            const std::string& to = "2027-06-01T00:00:00Z", calendar::busy_limits limits = {})
{
    return calendar::read_busy_times(text, utc(from), utc(to), berlin(), limits);
}

std::string show(const std::vector<busy_interval>& v)
{
    std::string out;
    for (const auto& b : v)
        out += domain::format_rfc3339(b.start, domain::find_zone("UTC")) + " - " +
               domain::format_rfc3339(b.end, domain::find_zone("UTC")) + "\n";
    return out;
}

/** A calendar with the given VEVENT lines (CRLF-joined), for the small cases. */
std::string calendar_with(std::initializer_list<std::string> lines)
{
    std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n";
    for (const auto& l : lines) text += l + "\r\n";
    return text + "END:VCALENDAR\r\n";
}

} // namespace

TEST_CASE("a Google export: a weekly meeting across the 2027 DST change, an EXDATE, a moved and a cancelled "
          "instance, an all-day event, a cancelled, a free and a floating event",
          "[calendar][busy]")
{
    auto r = read(fixture("google.ics"));
    REQUIRE(r.ok());
    INFO(show(r.busy));
    std::vector<busy_interval> want{
        span("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"), // 10:00 CET
        span("2027-03-08T09:00:00Z", "2027-03-08T10:00:00Z"),
        span("2027-03-09T23:00:00Z", "2027-03-10T23:00:00Z"), // all day in Berlin
        // 15 March: EXDATE. 11 March: cancelled. 12 March: TRANSP:TRANSPARENT.
        span("2027-03-16T08:00:00Z", "2027-03-16T09:00:00Z"), // floating 09:00, read in Berlin
        span("2027-03-22T13:00:00Z", "2027-03-22T14:00:00Z"), // moved to 14:00 through RECURRENCE-ID
        span("2027-03-29T08:00:00Z", "2027-03-29T09:00:00Z"), // still 10:00 local, now CEST
        // 5 April: cancelled through RECURRENCE-ID.
        span("2027-04-12T08:00:00Z", "2027-04-12T09:00:00Z"), // the last one before UNTIL
    };
    CHECK(r.busy == want);
}

TEST_CASE("an Outlook feed: Windows zone names and display names in TZID, and a custom VTIMEZONE", "[calendar][busy]")
{
    auto r = read(fixture("outlook.ics"));
    REQUIRE(r.ok());
    INFO(show(r.busy));
    std::vector<busy_interval> want{
        span("2027-01-15T08:00:00Z", "2027-01-15T09:00:00Z"), // "(UTC+01:00) Amsterdam, Berlin, ..."
        span("2027-02-01T09:00:00Z", "2027-02-01T10:00:00Z"), // "Customized Time Zone": +03:00 from its VTIMEZONE
        span("2027-03-30T13:00:00Z", "2027-03-30T14:30:00Z"), // "W. Europe Standard Time", summer time
    };
    CHECK(r.busy == want);
    CHECK(calendar::iana_name_for_windows_zone("W. Europe Standard Time") == "Europe/Berlin");
    CHECK(calendar::iana_name_for_windows_zone("GMT Standard Time") == "Europe/London");
    CHECK(calendar::iana_name_for_windows_zone("Europe/Berlin").empty());
    for (auto name : {"W. Europe Standard Time", "Romance Standard Time", "Eastern Standard Time", "India Standard Time",
                      "FLE Standard Time", "Myanmar Standard Time", "UTC"}) {
        INFO(name);
        CHECK(domain::find_zone(calendar::iana_name_for_windows_zone(name)) != nullptr);
    }
}

TEST_CASE("a VFREEBUSY block: busy and tentative periods count, free ones do not", "[calendar][busy]")
{
    auto r = read(fixture("freebusy.ics"));
    REQUIRE(r.ok());
    INFO(show(r.busy));
    std::vector<busy_interval> want{span("2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z"),
                                    span("2027-03-03T09:00:00Z", "2027-03-03T09:30:00Z"),
                                    span("2027-03-05T09:00:00Z", "2027-03-05T09:30:00Z")};
    CHECK(r.busy == want);
}

TEST_CASE("what is not a calendar is reported, never a crash", "[calendar][busy]")
{
    auto html = read(fixture("not-a-calendar.html"));
    CHECK_FALSE(html.ok());
    CHECK(html.error == "the address did not return a calendar (iCalendar file)");
    CHECK(html.problem == calendar::feed_problem::not_a_calendar);
    CHECK(calendar::code(html.problem) == "not-a-calendar");
    CHECK(html.busy.empty());
    CHECK_FALSE(read("").ok());
    std::string with_nul = "BEGIN:VCALENDAR\r\n";
    with_nul += '\0';
    with_nul += "\r\nEND:VCALENDAR\r\n";
    CHECK_FALSE(read(with_nul).ok());
    // Cut off, with nonsense values: whatever can be read is, nothing crashes.
    auto cut = read(fixture("truncated.ics"));
    INFO(cut.error);
    for (const auto& b : cut.busy) CHECK(b.start < b.end);
}

TEST_CASE("only busy times that overlap the window are kept, and overlapping ones are merged", "[calendar][busy]")
{
    auto text = calendar_with({"BEGIN:VEVENT", "UID:a", "DTSTART:20270301T090000Z", "DTEND:20270301T100000Z", "END:VEVENT",
                               "BEGIN:VEVENT", "UID:b", "DTSTART:20270301T093000Z", "DTEND:20270301T110000Z", "END:VEVENT",
                               "BEGIN:VEVENT", "UID:c", "DTSTART:20270301T110000Z", "DTEND:20270301T113000Z", "END:VEVENT",
                               "BEGIN:VEVENT", "UID:d", "DTSTART:20270301T120000Z", "DTEND:20270301T130000Z", "END:VEVENT",
                               "BEGIN:VEVENT", "UID:e", "DTSTART:20270302T120000Z", "DTEND:20270302T130000Z", "END:VEVENT"});
    auto r = read(text, "2027-03-01T09:59:59Z", "2027-03-01T12:00:00Z");
    REQUIRE(r.ok());
    INFO(show(r.busy));
    // a and b overlap, c touches them; d starts when the window ends; e is outside.
    CHECK(r.busy == std::vector<busy_interval>{span("2027-03-01T09:00:00Z", "2027-03-01T11:30:00Z")});
}

TEST_CASE("a DTSTART in the spring-forward gap is read with the offset before the gap", "[calendar][busy]")
{
    // 02:30 on 28 March 2027 does not exist in Berlin: RFC 5545 reads it as 01:30 UTC.
    auto r = read(calendar_with({"BEGIN:VEVENT", "UID:gap", "DTSTART;TZID=Europe/Berlin:20270328T023000",
                                 "DTEND;TZID=Europe/Berlin:20270328T040000", "END:VEVENT"}));
    REQUIRE(r.ok());
    CHECK(r.busy == std::vector<busy_interval>{span("2027-03-28T01:30:00Z", "2027-03-28T02:00:00Z")});
}

TEST_CASE("a long-running weekly series is read from the window, not walked from its start", "[calendar][busy]")
{
    auto text = calendar_with({"BEGIN:VEVENT", "UID:old", "DTSTART;TZID=Europe/Berlin:20100104T080000",
                               "DTEND;TZID=Europe/Berlin:20100104T083000", "RRULE:FREQ=DAILY", "END:VEVENT"});
    calendar::busy_limits limits;
    limits.max_iterations = 200; // 17 years of days would need 6,000 steps
    auto r = read(text, "2027-03-01T00:00:00Z", "2027-03-08T00:00:00Z", limits);
    REQUIRE(r.ok());
    CHECK(r.busy.size() == 7);
    CHECK(r.busy.front() == span("2027-03-01T07:00:00Z", "2027-03-01T07:30:00Z"));
}

TEST_CASE("the instance and iteration limits refuse a feed as a whole", "[calendar][busy][limits]")
{
    calendar::busy_limits limits;
    limits.max_instances = 50;
    auto many = read(calendar_with({"BEGIN:VEVENT", "UID:daily", "DTSTART:20270101T080000Z", "DTEND:20270101T083000Z",
                                    "RRULE:FREQ=DAILY", "END:VEVENT"}),
                     "2027-01-01T00:00:00Z", "2027-04-01T00:00:00Z", limits);
    CHECK_FALSE(many.ok());
    CHECK(many.error == "the calendar has more than 50 busy times in the booking horizon");
    CHECK(calendar::code(many.problem) == "too-many-events");
    CHECK(many.busy.empty());

    // COUNT counts from the first instance, so such a series must be walked from 1990.
    limits = {};
    limits.max_iterations = 1000;
    auto walked = read(calendar_with({"BEGIN:VEVENT", "UID:count", "DTSTART:19900101T080000Z", "DTEND:19900101T083000Z",
                                      "RRULE:FREQ=DAILY;COUNT=20000", "END:VEVENT"}),
                       "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z", limits);
    CHECK_FALSE(walked.ok());
    CHECK(walked.error.find("too many occurrences") != std::string::npos);
    CHECK(calendar::code(walked.problem) == "too-many-events");
}
