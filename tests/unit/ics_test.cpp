#include "calendar/ics.hpp"

#include <catch2/catch.hpp>
#include <libical/ical.h>

using namespace sp::calendar;

namespace {
ics_event booking_at(const std::string& start)
{
    ics_event e;
    e.uid = "b123@sprechstunde";
    e.sequence = 2;
    e.status = "CONFIRMED";
    e.start = *sp::domain::parse_rfc3339(start);
    e.end = e.start + std::chrono::minutes(30);
    e.summary = "Sprechstunde mit Anna Schmidt";
    e.location = "Raum 1, Universitätsstraße 142, 44799 Bochum";
    e.organizer_name = "Anna Schmidt";
    e.organizer_email = "no-reply@hub.example.org";
    e.attendee_name = "Jana";
    e.attendee_email = "jana@example.org";
    e.stamp = e.start - std::chrono::hours(48);
    return e;
}

/** DTSTART of the first VEVENT in UTC, resolved through the file's own VTIMEZONE. */
time_t utc_start(const std::string& text)
{
    icalcomponent* cal = icalparser_parse_string(text.c_str());
    REQUIRE(cal);
    icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    REQUIRE(ev);
    icalproperty* dtstart = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    icalparameter* tzid = icalproperty_get_first_parameter(dtstart, ICAL_TZID_PARAMETER);
    REQUIRE(tzid);
    icaltimezone* own = icalcomponent_get_timezone(cal, icalparameter_get_tzid(tzid));
    REQUIRE(own); // the VTIMEZONE is in the file, under the same TZID
    time_t t = icaltime_as_timet_with_zone(icalproperty_get_dtstart(dtstart), own);
    icalcomponent_free(cal);
    return t;
}
} // namespace

TEST_CASE("a booking at 14:00 Berlin the day after the autumn change is 13:00Z in its .ics", "[ics]")
{
    std::string text = make_calendar(ics_method::request, {booking_at("2026-10-26T14:00:00+01:00")});
    CHECK_THAT(text, Catch::Contains("METHOD:REQUEST"));
    CHECK_THAT(text, Catch::Contains("DTSTART;TZID=Europe/Berlin:20261026T140000"));
    CHECK_THAT(text, Catch::Contains("BEGIN:VTIMEZONE"));
    CHECK_THAT(text, Catch::Contains("TZID:Europe/Berlin"));
    CHECK_THAT(text, Catch::Contains("UID:b123@sprechstunde"));
    CHECK_THAT(text, Catch::Contains("SEQUENCE:2"));
    CHECK_THAT(text, Catch::Contains("ORGANIZER;CN=Anna Schmidt:mailto:no-reply@hub.example.org"));
    CHECK(utc_start(text) == sp::domain::parse_rfc3339("2026-10-26T13:00:00Z")->time_since_epoch().count());
    // And one in summer time: 14:00 is 12:00Z.
    std::string summer = make_calendar(ics_method::request, {booking_at("2026-07-01T14:00:00+02:00")});
    CHECK(utc_start(summer) == sp::domain::parse_rfc3339("2026-07-01T12:00:00Z")->time_since_epoch().count());
}

TEST_CASE("a cancelled booking's file cancels the same event", "[ics]")
{
    auto e = booking_at("2026-12-03T14:00:00+01:00");
    e.status = "CANCELLED";
    e.sequence = 3;
    std::string text = make_calendar(ics_method::cancel, {e});
    CHECK_THAT(text, Catch::Contains("METHOD:CANCEL"));
    CHECK_THAT(text, Catch::Contains("STATUS:CANCELLED"));
    CHECK_THAT(text, Catch::Contains("UID:b123@sprechstunde"));
    CHECK_THAT(text, Catch::Contains("SEQUENCE:3"));
}

TEST_CASE("text with commas, semicolons and newlines is escaped, and lines are folded", "[ics]")
{
    auto e = booking_at("2026-12-03T14:00:00+01:00");
    e.summary = "Pitch; Q&A, Feedback";
    e.description = std::string("Line one\nLine two ") + std::string(200, 'x');
    std::string text = make_calendar(ics_method::publish, {e}, "Digital Camp Bochum");
    CHECK_THAT(text, Catch::Contains("SUMMARY:Pitch\\; Q&A\\, Feedback"));
    CHECK_THAT(text, Catch::Contains("X-WR-CALNAME:Digital Camp Bochum"));
    std::size_t pos = 0, longest = 0;
    while (pos < text.size()) {
        auto nl = text.find("\r\n", pos);
        if (nl == std::string::npos) nl = text.size();
        longest = std::max(longest, nl - pos);
        pos = nl + 2;
    }
    CHECK(longest <= 75);
}
