#include "domain/statistics.hpp"

#include <map>
#include <tuple>

namespace sp::domain {

hub_statistics summarize(const std::vector<session>& sessions,
                         const std::function<std::string(const session&)>& topic_of)
{
    std::map<std::tuple<std::string, std::string, std::string>, statistics_row> rows;
    hub_statistics out;
    for (const auto& s : sessions) {
        if (s.status == "cancelled") continue;
        std::string week = iso_week_key(s.start, find_zone(s.zone));
        std::string topic = topic_of(s);
        auto& row = rows[{week, s.camp_id, topic}];
        row.week = week;
        row.camp_id = s.camp_id;
        row.topic = topic;
        for (statistics_row* r : {&row, &out.totals}) {
            r->sessions += 1;
            r->seats += s.seats;
            r->bookings += s.taken;
            r->attended += s.attended;
            r->no_show += s.no_show;
        }
    }
    for (auto& [key, row] : rows) out.rows.push_back(std::move(row));
    return out;
}

} // namespace sp::domain
