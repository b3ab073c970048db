#pragma once
/**
 * Time as the hub thinks about it: instants are UTC seconds; office hours are local
 * wall-clock times in an IANA zone (the system tz database through date/tz).
 *
 * The DST rules for turning a local time into an instant (documented in README):
 * - a local time that does not exist (spring forward, 02:30 on 29 March 2026 in
 *   Berlin) has no instant: resolve_local() returns nullopt and the slot is skipped;
 * - an ambiguous local time (fall back, 02:30 on 25 October 2026 in Berlin) takes its
 *   first occurrence (the earlier instant, still on summer time).
 * Pure functions, thread-safe.
 */
#include <chrono>
#include <date/date.h>
#include <date/tz.h>
#include <optional>
#include <string>
#include <string_view>

namespace sp::domain {

using instant = std::chrono::sys_seconds;
using local_time = date::local_seconds;

/** The zone with this IANA name, or nullptr when the name is unknown. */
const date::time_zone* find_zone(std::string_view iana_name);

/** The instant of a local wall-clock time in `zone`, by the rules above. */
std::optional<instant> resolve_local(local_time t, const date::time_zone* zone);

/** RFC 3339 with the zone's offset at that instant: "2026-12-01T14:00:00+01:00". */
std::string format_rfc3339(instant t, const date::time_zone* zone);

/** Parses RFC 3339 ("2026-12-01T14:00:00+01:00", "...Z", fractional seconds dropped);
 *  nullopt if malformed or out of range. */
std::optional<instant> parse_rfc3339(std::string_view text);

/** Parses "YYYY-MM-DD"; nullopt if malformed or not a real date. */
std::optional<date::year_month_day> parse_date(std::string_view text);
std::string format_date(date::year_month_day d);

/** Parses "HH:MM" (00:00..24:00) into minutes since midnight; nullopt if malformed. */
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text);
std::string format_time_of_day(std::chrono::minutes m);

/** The local calendar date of `t` in `zone`. */
date::year_month_day local_date(instant t, const date::time_zone* zone);

/** The ISO 8601 week of `t` in `zone` as "2026-W49" (weeks start on Monday; the ISO
 *  year may differ from the calendar year around New Year). */
std::string iso_week_key(instant t, const date::time_zone* zone);

/** The instant at which the local date `d` begins in `zone` (midnight, or the first
 *  existing time after it). */
instant start_of_local_day(date::year_month_day d, const date::time_zone* zone);

} // namespace sp::domain
