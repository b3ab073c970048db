#include "domain/office_hours.hpp"

#include <algorithm>

namespace sp::domain {

namespace {
using std::chrono::hours;
using std::chrono::minutes;

constexpr minutes end_of_day = hours{24};
constexpr int max_seats = 500;
constexpr minutes min_slot_length{5};
constexpr minutes max_slot_length = hours{8};
constexpr minutes max_buffer = hours{4};

std::string window_field(std::size_t i, const char* part)
{
    return "windows[" + std::to_string(i) + "]." + part;
}

std::string minutes_text(minutes m)
{
    return std::to_string(m.count()) + " min";
}

struct local_window {
    minutes start;
    minutes end;
};

// Appends the slots of one window on local date `day`. The slot grid is laid out in
// wall-clock minutes so a 14:00 slot stays 14:00 whatever the offset that day.
void add_window_slots(const office_hour_rule& rule, const date::time_zone* zone, date::local_days day, local_window w,
                      instant from, instant until, std::vector<planned_session>& out)
{
    const minutes step = rule.slot_length + rule.buffer;
    for (minutes start = w.start; start + rule.slot_length <= w.end; start += step) {
        local_time local_start = day + start;
        local_time local_end = local_start + rule.slot_length;
        auto start_at = resolve_local(local_start, zone);
        if (!start_at) continue; // in the spring-forward gap: this slot does not happen
        if (*start_at < from || *start_at >= until) continue;
        auto end_at = resolve_local(local_end, zone);
        // An end in the gap (or, defensively, one that would not be after the start)
        // falls back to the slot's real length.
        instant end = end_at && *end_at > *start_at ? *end_at : *start_at + rule.slot_length;
        out.push_back(planned_session{session_id(rule.id, *start_at), rule.id, *start_at, end, rule.seats});
    }
}

bool is_usable_window(minutes start, minutes end)
{
    return start >= minutes{0} && start < end && end <= end_of_day;
}
} // namespace

std::string session_id(std::string_view rule_id, instant start)
{
    std::string id(rule_id);
    id += '-';
    id += std::to_string(start.time_since_epoch().count());
    return id;
}

std::vector<rule_problem> validate(const office_hour_rule& rule)
{
    // Messages are predicates on their field ("must be ..."), the way callers print
    // problems: "windows[1].end: must be after start (14:00)".
    std::vector<rule_problem> problems;
    auto add = [&](std::string field, std::string message) {
        problems.push_back(rule_problem{std::move(field), std::move(message)});
    };

    if (!find_zone(rule.zone)) add("zone", "is not a known IANA time zone (\"" + rule.zone + "\")");

    if (rule.windows.empty()) add("windows", "must hold at least one weekly window");
    for (std::size_t i = 0; i < rule.windows.size(); ++i) {
        const weekly_window& w = rule.windows[i];
        if (!w.day.ok()) add(window_field(i, "day"), "is not a weekday");
        bool start_ok = w.start >= minutes{0} && w.start < end_of_day;
        if (!start_ok) add(window_field(i, "start"), "must lie in 00:00..23:59");
        if (w.end > end_of_day) {
            add(window_field(i, "end"), "must not be after 24:00");
        } else if (w.end <= w.start) {
            add(window_field(i, "end"), "must be after start (" + format_time_of_day(w.start) + ")");
        } else if (start_ok && w.end - w.start < rule.slot_length) {
            // The window is what is too short: the same slot length fits other windows.
            add(window_field(i, "end"), "leaves the window " + format_time_of_day(w.start) + "-" +
                                            format_time_of_day(w.end) + " shorter than slot_length (" +
                                            minutes_text(rule.slot_length) + ")");
        }
    }

    if (rule.slot_length < min_slot_length || rule.slot_length > max_slot_length)
        add("slot_length", "must be between 5 min and 8 h (got " + minutes_text(rule.slot_length) + ")");
    if (rule.buffer < minutes{0} || rule.buffer > max_buffer)
        add("buffer", "must be between 0 and 4 h (got " + minutes_text(rule.buffer) + ")");
    if (rule.seats < 1 || rule.seats > max_seats)
        add("seats", "must be between 1 and 500 (got " + std::to_string(rule.seats) + ")");

    if (!rule.valid_from.ok()) add("valid_from", "is not a real date");
    if (rule.valid_until) {
        if (!rule.valid_until->ok())
            add("valid_until", "is not a real date");
        else if (rule.valid_from.ok() && *rule.valid_until < rule.valid_from)
            add("valid_until", "must not be before valid_from (" + format_date(rule.valid_from) + ")");
    }

    bool has_room = !rule.room_id.empty();
    bool has_url = !rule.online_url.empty();
    if (has_room == has_url)
        add("room_id", has_room ? "must be empty when online_url is set: an office hour is in a room or online"
                                : "must be set unless online_url is");
    return problems;
}

std::vector<rule_problem> validate(const rule_exception& e)
{
    std::vector<rule_problem> problems;
    if (!e.date.ok()) problems.push_back({"date", "is not a real date"});
    if (e.type == rule_exception::kind::extra_window) {
        if (e.start < minutes{0} || e.start >= end_of_day) problems.push_back({"start", "must lie in 00:00..23:59"});
        if (e.end > end_of_day)
            problems.push_back({"end", "must not be after 24:00"});
        else if (e.end <= e.start)
            problems.push_back({"end", "must be after start (" + format_time_of_day(e.start) + ")"});
    }
    return problems;
}

std::vector<planned_session> expand(const office_hour_rule& rule, std::span<const rule_exception> exceptions,
                                    instant from, instant until)
{
    std::vector<planned_session> sessions;
    const date::time_zone* zone = find_zone(rule.zone);
    // The rule should have been validated; these guards only keep a bad one from
    // looping forever or reading an unknown zone as UTC.
    if (!zone || from >= until || rule.slot_length <= minutes{0} || rule.slot_length + rule.buffer <= minutes{0} ||
        !rule.valid_from.ok())
        return sessions;

    // One local day of margin either side: a local date's slots can start before its
    // UTC date begins (east of Greenwich) or after it ends (west).
    date::local_days first = date::local_days{local_date(from, zone)} - date::days{1};
    date::local_days last = date::local_days{local_date(until, zone)} + date::days{1};
    first = std::max(first, date::local_days{rule.valid_from});
    if (rule.valid_until && rule.valid_until->ok()) last = std::min(last, date::local_days{*rule.valid_until});

    for (date::local_days day = first; day <= last; day += date::days{1}) {
        date::year_month_day ymd{day};
        bool day_off = std::any_of(exceptions.begin(), exceptions.end(), [&](const rule_exception& e) {
            return e.type == rule_exception::kind::day_off && e.date == ymd;
        });
        if (day_off) continue;

        date::weekday wd{day};
        for (const weekly_window& w : rule.windows)
            if (w.day == wd && is_usable_window(w.start, w.end))
                add_window_slots(rule, zone, day, {w.start, w.end}, from, until, sessions);
        for (const rule_exception& e : exceptions)
            if (e.type == rule_exception::kind::extra_window && e.date == ymd && is_usable_window(e.start, e.end))
                add_window_slots(rule, zone, day, {e.start, e.end}, from, until, sessions);
    }

    // Windows may overlap (an extra window over a weekly one); equal starts are the same
    // session, so sorting by (start, id) lines duplicates up for unique().
    std::sort(sessions.begin(), sessions.end(), [](const planned_session& a, const planned_session& b) {
        return a.start != b.start ? a.start < b.start : a.id < b.id;
    });
    sessions.erase(std::unique(sessions.begin(), sessions.end(),
                               [](const planned_session& a, const planned_session& b) { return a.id == b.id; }),
                   sessions.end());
    return sessions;
}

} // namespace sp::domain
