#include "calendar/ics.hpp"

#include "calendar/libical_lock.hpp"

#include <libical/ical.h>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <tuple>

namespace sp::calendar {
namespace {

struct component_deleter {
    void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using component_ptr = std::unique_ptr<icalcomponent, component_deleter>;

icaltimezone* zone_of(const std::string& name)
{
    icaltimezone* tz = icaltimezone_get_builtin_timezone(name.c_str());
    if (!tz) tz = icaltimezone_get_builtin_timezone("Europe/Berlin");
    if (!tz) throw std::runtime_error("libical has no time zone data");
    return tz;
}

/** The zone's VTIMEZONE as text, named by its plain IANA name (libical prefixes its own
 *  path) and cut to the years `from_year` .. `to_year`, so a file stays small. Deriving it
 *  (libical walks the zone's transitions with ICU's calendar) costs far more than the
 *  rest of a booking's file, and a zone's text for a span of years never changes: it is
 *  made once and kept (a few zones times a few spans; the cache starts over past 64).
 *  Call with libical_mutex() held, which also guards the cache. */
const std::string& vtimezone_text(const std::string& name, icaltimezone* tz, int from_year, int to_year)
{
    static std::map<std::tuple<std::string, int, int>, std::string> cache;
    auto key = std::make_tuple(name, from_year, to_year);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    if (cache.size() >= 64) cache.clear();
    component_ptr vtz(icalcomponent_new_clone(icaltimezone_get_component(tz)));
    icalproperty* id = icalcomponent_get_first_property(vtz.get(), ICAL_TZID_PROPERTY);
    if (id) icalproperty_set_tzid(id, name.c_str());
    auto year_start = [](int year) {
        icaltimetype y = icaltime_null_time();
        y.year = year;
        y.month = 1;
        y.day = 1;
        y.zone = icaltimezone_get_utc_timezone(); // TZUNTIL is written in UTC ("…Z")
        return y;
    };
    icaltimezone_truncate_vtimezone(vtz.get(), year_start(from_year), year_start(to_year), 0);
    char* text = icalcomponent_as_ical_string_r(vtz.get());
    std::string out(text ? text : "");
    icalmemory_free_buffer(text);
    return cache.emplace(std::move(key), std::move(out)).first->second;
}

int year_of(domain::instant t)
{
    return icaltime_from_timet_with_zone(t.time_since_epoch().count(), 0, icaltimezone_get_utc_timezone()).year;
}

icalproperty* local_time(icalproperty* (*make)(icaltimetype), domain::instant t, icaltimezone* tz,
                         const std::string& tzid)
{
    icaltimetype local = icaltime_from_timet_with_zone(t.time_since_epoch().count(), 0, tz);
    local.zone = nullptr; // written as floating text; the TZID parameter names the zone
    icalproperty* p = make(local);
    icalproperty_add_parameter(p, icalparameter_new_tzid(tzid.c_str()));
    return p;
}

icalproperty_status status_of(const std::string& s)
{
    if (s == "CANCELLED") return ICAL_STATUS_CANCELLED;
    if (s == "TENTATIVE") return ICAL_STATUS_TENTATIVE;
    return ICAL_STATUS_CONFIRMED;
}

} // namespace

std::string make_calendar(ics_method method, const std::vector<ics_event>& events, const std::string& name)
{
    std::lock_guard lock(libical_mutex());
    component_ptr cal(icalcomponent_new_vcalendar());
    icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//Sprechstunde//Digital Hub//DE"));
    icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal.get(), icalproperty_new_method(method == ics_method::request  ? ICAL_METHOD_REQUEST
                                                                  : method == ics_method::cancel ? ICAL_METHOD_CANCEL
                                                                                                 : ICAL_METHOD_PUBLISH));
    if (!name.empty()) {
        icalproperty* n = icalproperty_new_x(name.c_str());
        icalproperty_set_x_name(n, "X-WR-CALNAME");
        icalcomponent_add_property(cal.get(), n);
    }
    std::set<std::string> zones;
    domain::instant first = events.empty() ? domain::instant{} : events.front().start;
    domain::instant last = first;
    for (const auto& e : events) {
        zones.insert(e.zone);
        first = std::min(first, e.start);
        last = std::max(last, e.end);
    }
    // The VTIMEZONEs go in as text after the calendar's properties, where libical would
    // write them, before the first event (see vtimezone_text).
    std::string timezones;
    for (const auto& z : zones) timezones += vtimezone_text(z, zone_of(z), year_of(first) - 1, year_of(last) + 2);

    for (const auto& e : events) {
        icaltimezone* tz = zone_of(e.zone);
        icalcomponent* ev = icalcomponent_new_vevent();
        icalcomponent_add_property(ev, icalproperty_new_uid(e.uid.c_str()));
        icalcomponent_add_property(ev, icalproperty_new_sequence(e.sequence));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
                                           e.stamp.time_since_epoch().count(), 0, icaltimezone_get_utc_timezone())));
        icalcomponent_add_property(ev, local_time(&icalproperty_new_dtstart, e.start, tz, e.zone));
        icalcomponent_add_property(ev, local_time(&icalproperty_new_dtend, e.end, tz, e.zone));
        icalcomponent_add_property(ev, icalproperty_new_summary(e.summary.c_str()));
        if (!e.description.empty()) icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
        if (!e.location.empty()) icalcomponent_add_property(ev, icalproperty_new_location(e.location.c_str()));
        if (!e.url.empty()) icalcomponent_add_property(ev, icalproperty_new_url(e.url.c_str()));
        icalcomponent_add_property(ev, icalproperty_new_status(status_of(e.status)));
        if (!e.organizer_email.empty()) {
            icalproperty* org = icalproperty_new_organizer(("mailto:" + e.organizer_email).c_str());
            if (!e.organizer_name.empty()) icalproperty_add_parameter(org, icalparameter_new_cn(e.organizer_name.c_str()));
            icalcomponent_add_property(ev, org);
        }
        if (!e.attendee_email.empty()) {
            icalproperty* att = icalproperty_new_attendee(("mailto:" + e.attendee_email).c_str());
            if (!e.attendee_name.empty()) icalproperty_add_parameter(att, icalparameter_new_cn(e.attendee_name.c_str()));
            icalproperty_add_parameter(att, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
            icalproperty_add_parameter(att, icalparameter_new_partstat(e.status == "CANCELLED" ? ICAL_PARTSTAT_DECLINED
                                                                                               : ICAL_PARTSTAT_ACCEPTED));
            icalcomponent_add_property(ev, att);
        }
        icalcomponent_add_component(cal.get(), ev);
    }
    // as_ical_string_r: a copy the caller owns (the plain variant uses a ring buffer).
    char* text = icalcomponent_as_ical_string_r(cal.get());
    std::string out(text ? text : "");
    icalmemory_free_buffer(text);
    // A content line never starts with BEGIN: inside a value (folded lines start with a
    // space, line breaks in text are escaped), so this finds the first component.
    std::size_t at = out.find("\r\nBEGIN:VEVENT\r\n");
    if (at == std::string::npos) at = out.rfind("\r\nEND:VCALENDAR");
    if (at == std::string::npos) throw std::runtime_error("libical wrote no VCALENDAR");
    out.insert(at + 2, timezones);
    return out;
}

} // namespace sp::calendar
