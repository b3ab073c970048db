#include "views/walkin_json.hpp"

#include "domain/zoned_time.hpp"

#include <chrono>

namespace sp::views {

void write_walkin_summary(util::json_writer& w, std::string_view camp_id, const domain::walkin_summary& s,
                          const domain::day_settings& day, std::string_view zone_name)
{
    const date::time_zone* zone = domain::find_zone(zone_name);
    if (!zone) zone = domain::find_zone("UTC");
    using std::chrono::duration_cast;
    using std::chrono::minutes;
    w.begin_object();
    w.key("camp").value(camp_id);
    w.key("waiting").value(s.waiting);
    w.key("offers").begin_array();
    for (const auto& o : s.offers) {
        w.begin_object();
        w.key("ticket").value(o.ticket);
        w.key("session_id").value(o.session_id);
        w.key("until").value(domain::format_rfc3339(o.until, zone));
        w.end_object();
    }
    w.end_array();
    w.key("horizon_minutes").value(static_cast<std::int64_t>(day.walkin_horizon.count()));
    // Rounded up: a claim time set in seconds (tests) never reads as 0 minutes.
    w.key("claim_minutes").value(static_cast<std::int64_t>((day.claim.count() + 59) / 60));
    w.key("claim_seconds").value(static_cast<std::int64_t>(day.claim.count()));
    w.key("min_walkin_minutes").value(static_cast<std::int64_t>(day.min_walkin.count()));
    w.end_object();
}

} // namespace sp::views
