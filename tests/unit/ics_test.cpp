#include "calendar/ics.hpp"

#include <catch2/catch.hpp>
#include <libical/ical.h>
#include <vector>

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

TEST_CASE("each zone's VTIMEZONE comes before the events, once, for the years the events span", "[ics]")
{
    // The zones' texts are made once and reused: the second file must be as right as the first.
    for (int round = 0; round < 2; ++round) {
        auto berlin = booking_at("2026-10-26T14:00:00+01:00");
        auto london = booking_at("2031-03-31T09:00:00+01:00");
        london.uid = "b456@sprechstunde";
        london.zone = "Europe/London";
        std::string text = make_calendar(ics_method::publish, {berlin, london, booking_at("2027-01-04T10:00:00+01:00")});
        auto count = [&](const std::string& what) {
            std::size_t n = 0;
            for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
            return n;
        };
        CHECK(count("BEGIN:VTIMEZONE") == 2);
        CHECK(count("TZID:Europe/London\r\n") == 1);
        CHECK(text.find("END:VTIMEZONE") < text.find("BEGIN:VEVENT"));
        // Parsed back, every event resolves through its own zone: 2031 is inside the span.
        icalcomponent* cal = icalparser_parse_string(text.c_str());
        REQUIRE(cal);
        std::vector<time_t> starts;
        for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
             ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
            icalproperty* p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
            icaltimezone* own = icalcomponent_get_timezone(cal, icalparameter_get_tzid(
                                                                    icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER)));
            REQUIRE(own);
            starts.push_back(icaltime_as_timet_with_zone(icalproperty_get_dtstart(p), own));
        }
        icalcomponent_free(cal);
        REQUIRE(starts.size() == 3);
        CHECK(starts[0] == sp::domain::parse_rfc3339("2026-10-26T13:00:00Z")->time_since_epoch().count());
        CHECK(starts[1] == sp::domain::parse_rfc3339("2031-03-31T08:00:00Z")->time_since_epoch().count());
        CHECK(starts[2] == sp::domain::parse_rfc3339("2027-01-04T09:00:00Z")->time_since_epoch().count());
    }
}

TEST_CASE("a calendar without events is still a well-formed VCALENDAR", "[ics]")
{
    std::string text = make_calendar(ics_method::publish, {}, "Leer");
    CHECK(text.starts_with("BEGIN:VCALENDAR\r\n"));
    CHECK_THAT(text, Catch::EndsWith("END:VCALENDAR\r\n"));
    CHECK(text.find("VTIMEZONE") == std::string::npos);
    icalcomponent* cal = icalparser_parse_string(text.c_str());
    REQUIRE(cal);
    icalcomponent_free(cal);
}

TEST_CASE("a zone's VTIMEZONE ends with TZUNTIL in UTC after the last event's year", "[ics]")
{
    std::string text = make_calendar(ics_method::request, {booking_at("2026-12-07T09:00:00+01:00")});
    CHECK_THAT(text, Catch::Contains("TZUNTIL:20280101T000000Z"));
}
