#include "domain/no_show_limit.hpp"

#include <algorithm>
#include <vector>

namespace sp::domain {

instant no_show_expiry(instant at, const date::time_zone* zone, const day_settings& d)
{
    local_time later = zone->to_local(at) + d.no_show_window;
    if (auto t = resolve_local(later, zone)) return *t;
    // The same wall time does not exist that day (the spring gap): the moment the gap ends.
    return zone->to_sys(later, date::choose::latest);
}

upcoming_limit limit_after_no_shows(std::span<const instant> no_shows, instant now, int normal_max,
                                    const date::time_zone* zone, const day_settings& d)
{
    std::vector<instant> counting;
    for (instant at : no_shows) {
        if (at > now) continue; // not yet happened (a clock from the future is not trusted)
        instant until = no_show_expiry(at, zone, d);
        if (until > now) counting.push_back(until);
    }
    upcoming_limit out{normal_max, std::nullopt};
    if (d.no_show_limit <= 0 || static_cast<int>(counting.size()) < d.no_show_limit) return out;
    std::sort(counting.begin(), counting.end());
    out.max_upcoming = std::min(normal_max, d.limited_upcoming);
    // The limit lifts when all but (limit - 1) of them have expired.
    out.limited_until = counting[counting.size() - static_cast<std::size_t>(d.no_show_limit)];
    return out;
}

} // namespace sp::domain
