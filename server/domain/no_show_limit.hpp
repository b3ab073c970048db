#pragma once
/**
 * The no-show limit: a founder with `no_show_limit` no-shows within the last
 * `no_show_window` calendar days (in the camp's zone: a no-show at 10:00 counts until
 * 10:00 local time that many days later, whatever DST does in between) may hold only
 * `limited_upcoming` upcoming bookings until enough of them have passed out of the
 * window. Pure, thread-safe; book.lua gets the resulting limit as its argument.
 */
#include "domain/day_settings.hpp"
#include "domain/zoned_time.hpp"

#include <optional>
#include <span>

namespace sp::domain {

struct upcoming_limit {
    int max_upcoming = 0;                  // what the founder may hold now
    std::optional<instant> limited_until;  // when the limit lifts (set only while limited)
};

/** When a no-show at `at` stops counting. */
instant no_show_expiry(instant at, const date::time_zone* zone, const day_settings& d);

upcoming_limit limit_after_no_shows(std::span<const instant> no_shows, instant now, int normal_max,
                                    const date::time_zone* zone, const day_settings& d);

} // namespace sp::domain
