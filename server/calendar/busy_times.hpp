#pragma once
/**
 * Busy time from an expert's own calendar: the body of a private iCalendar address
 * (Google's "secret address in iCal format", Outlook's published ICS link, Nextcloud,
 * iCloud) read into the intervals in which the expert is busy, and nothing else:
 * titles, places, attendees and descriptions are never kept.
 *
 * What counts as busy (RFC 5545):
 * - every VEVENT unless TRANSP:TRANSPARENT or STATUS:CANCELLED;
 * - recurring ones expanded (RRULE, RDATE, EXDATE) in the event's own wall-clock time,
 *   so a weekly 10:00 stays at 10:00 across a DST change; an instance moved or
 *   cancelled through RECURRENCE-ID replaces the one it names;
 * - DTSTART with a TZID: an IANA name (also behind a libical-style "/vendor/..."
 *   prefix), a Windows name (Outlook: "W. Europe Standard Time", windows_zones.hpp),
 *   else the VTIMEZONE the file carries; a local time in a DST gap is read with the
 *   offset before the gap, an ambiguous one as its first occurrence (RFC 5545 3.3.5);
 * - floating times and all-day dates in `local_zone` (the expert's camp), an all-day
 *   event from midnight to midnight;
 * - VFREEBUSY's FREEBUSY periods unless FBTYPE=FREE.
 * Only intervals that overlap [from, to) are returned, sorted, with overlapping and
 * touching ones merged.
 *
 * Limits: a feed whose busy times in the window number more than
 * `max_instances`, or whose recurrences need more than `max_iterations` steps to get
 * there, is refused with an error, as is a body that is not an iCalendar file. A
 * refused feed yields no intervals at all (the caller keeps the last good ones).
 * Pure apart from libical's zone cache (guarded); thread-safe.
 */
#include "calendar/feed_problem.hpp"
#include "domain/zoned_time.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sp::calendar {

struct busy_interval {
    domain::instant start;
    domain::instant end;
    bool operator==(const busy_interval&) const = default;
};

struct busy_limits {
    std::size_t max_instances = 5000;    // busy intervals inside the window, before merging
    std::size_t max_iterations = 200000; // recurrence steps over all events
};

struct busy_reading {
    std::vector<busy_interval> busy; // empty when `error` is set
    std::string error;               // in plain English (log, API); empty = read
    feed_problem problem = feed_problem::none; // what the expert's page says when not read
    bool ok() const { return error.empty(); }
};

busy_reading read_busy_times(std::string_view ics, domain::instant from, domain::instant to,
                             const date::time_zone* local_zone, const busy_limits& limits = {});

} // namespace sp::calendar
