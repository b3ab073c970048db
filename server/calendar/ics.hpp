#pragma once
/**
 * iCalendar (RFC 5545) documents, built with libical: one event per booking or session,
 * each with a stable UID, a SEQUENCE raised on every change, DTSTART/DTEND in the
 * session's time zone (TZID plus the VTIMEZONE libical derives from the system tz
 * database), a location or online link, and the expert as organizer. A booking's file
 * says METHOD:REQUEST (or CANCEL once cancelled); feeds say PUBLISH.
 * Thread-safe (libical's zone cache is guarded here).
 */
#include "domain/zoned_time.hpp"

#include <string>
#include <vector>

namespace sp::calendar {

struct ics_event {
    std::string uid;         // stable across changes, e.g. "<booking id>@sprechstunde"
    int sequence = 0;        // raised on every change of the event
    std::string status;      // CONFIRMED | TENTATIVE | CANCELLED
    domain::instant start;
    domain::instant end;
    std::string zone = "Europe/Berlin";
    std::string summary;
    std::string description;
    std::string location;    // room and address, or the online link
    std::string url;         // the manage page or the online link
    std::string organizer_name;
    std::string organizer_email; // mailto of the organizer (the hub's sender address)
    std::string attendee_name;   // empty: no ATTENDEE
    std::string attendee_email;
    domain::instant stamp;   // DTSTAMP: when this version was written
};

enum class ics_method { request, cancel, publish };

/** A VCALENDAR with `events` and one VTIMEZONE per zone they use. `name` becomes
 *  X-WR-CALNAME (shown by calendar apps for subscribed feeds). */
std::string make_calendar(ics_method method, const std::vector<ics_event>& events, const std::string& name = {});

} // namespace sp::calendar
