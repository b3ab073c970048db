#pragma once
/**
 * Hub statistics for community managers: per ISO week (in the camp's zone), camp and
 * topic, how many sessions and seats there were, how many were booked, and how many
 * founders came or did not. Cancelled sessions are left out (their seats were never
 * offered in the end). Pure: the sessions come in, the table goes out.
 */
#include "domain/hub.hpp"

#include <functional>
#include <string>
#include <vector>

namespace sp::domain {

struct statistics_row {
    std::string week; // "2026-W48"; empty in the totals
    std::string camp_id;
    std::string topic;
    int sessions = 0;
    int seats = 0;
    int bookings = 0; // seats taken (confirmed, attended or no-show)
    int attended = 0;
    int no_show = 0;

    /** Booked seats per offered seat, 0..1 (0 when nothing was offered). */
    double utilization() const { return seats == 0 ? 0.0 : static_cast<double>(bookings) / seats; }
    bool attendance_recorded() const { return attended + no_show > 0; }
    /** No-shows among the bookings whose attendance was recorded, 0..1 (0 without any). */
    double no_show_rate() const
    {
        int recorded = attended + no_show;
        return recorded == 0 ? 0.0 : static_cast<double>(no_show) / recorded;
    }
};

struct hub_statistics {
    std::vector<statistics_row> rows; // by week, then camp, then topic
    statistics_row totals;
};

/** `topic_of` names a session's topic (events carry one; office hours take their
 *  expert's first topic). */
hub_statistics summarize(const std::vector<session>& sessions,
                         const std::function<std::string(const session&)>& topic_of);

} // namespace sp::domain
