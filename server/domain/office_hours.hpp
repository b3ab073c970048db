#pragma once
/**
 * Office-hour rules and their expansion into bookable sessions.
 *
 * A rule is a weekly pattern in local wall-clock time (windows on weekdays), cut into
 * slots of `slot_length` with `buffer` between them, each with `seats` seats, valid
 * from a local date until an optional local date (inclusive). Exceptions remove a whole
 * local date (day off) or add a one-off window on a date.
 *
 * expand() is deterministic and idempotent: the same rule and exceptions give the same
 * sessions with the same IDs (session_id(rule_id, start)), so expanding twice writes
 * nothing new. Slots whose local start does not exist (DST gap) are skipped; ambiguous
 * ones take the first occurrence (see zoned_time.hpp). A slot must fit entirely inside
 * its window (by local wall-clock minutes). Pure, no I/O.
 */
#include "domain/zoned_time.hpp"

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sp::domain {

struct weekly_window {
    date::weekday day;
    std::chrono::minutes start; // since local midnight
    std::chrono::minutes end;   // exclusive; may be 24:00
};

struct office_hour_rule {
    std::string id;        // server-made, e.g. "r7"
    std::string expert_id;
    std::string camp_id;
    std::string room_id;    // empty when online
    std::string online_url; // empty when in a room
    std::string zone = "Europe/Berlin";
    std::vector<weekly_window> windows;
    std::chrono::minutes slot_length{30};
    std::chrono::minutes buffer{0};
    int seats = 1;
    date::year_month_day valid_from;
    std::optional<date::year_month_day> valid_until; // inclusive
};

struct rule_exception {
    enum class kind { day_off, extra_window };
    kind type = kind::day_off;
    date::year_month_day date;
    std::chrono::minutes start{0}; // extra_window only
    std::chrono::minutes end{0};
};

struct planned_session {
    std::string id; // session_id(rule.id, start)
    std::string rule_id;
    instant start;
    instant end;
    int seats = 1;
};

/** A problem with a rule: which field, and what is wrong with it. */
struct rule_problem {
    std::string field; // e.g. "windows[1].end", "slot_length", "zone"
    std::string message;
};

/** Every problem of the rule (empty = valid): unknown zone, no windows, end <= start,
 *  slot longer than a window, seats < 1 or > 500, slot_length < 5 min or > 8 h, buffer
 *  < 0 or > 4 h, valid_until before valid_from, neither or both of room and online_url. */
std::vector<rule_problem> validate(const office_hour_rule& rule);
std::vector<rule_problem> validate(const rule_exception& e);

/** Sessions of `rule` whose start lies in [from, until), in start order. The rule must
 *  be valid. */
std::vector<planned_session> expand(const office_hour_rule& rule, std::span<const rule_exception> exceptions,
                                    instant from, instant until);

/** Deterministic session ID: "<rule_id>-<start epoch seconds>", e.g. "r7-1764594000". */
std::string session_id(std::string_view rule_id, instant start);

} // namespace sp::domain
