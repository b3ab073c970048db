#include "store/rule_codec.hpp"

#include "util/json_writer.hpp"

#include <array>
#include <simdjson.h>

namespace sp::store {
namespace {

constexpr std::array<std::string_view, 7> k_days{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct reader {
    std::vector<domain::rule_problem>& problems;

    void problem(std::string field, std::string message) { problems.push_back({std::move(field), std::move(message)}); }

    std::string str(simdjson::dom::object o, std::string_view key, bool required)
    {
        simdjson::dom::element e;
        if (o[key].get(e) != simdjson::SUCCESS || e.is_null()) {
            if (required) problem(std::string(key), "is required");
            return {};
        }
        std::string_view v;
        if (e.get(v) != simdjson::SUCCESS) {
            problem(std::string(key), "must be a string");
            return {};
        }
        return std::string(v);
    }
    std::int64_t integer(simdjson::dom::object o, std::string_view key, std::int64_t fallback)
    {
        simdjson::dom::element e;
        if (o[key].get(e) != simdjson::SUCCESS) return fallback;
        std::int64_t v;
        if (e.get(v) != simdjson::SUCCESS) {
            problem(std::string(key), "must be an integer");
            return fallback;
        }
        return v;
    }
    /** An integer within [lo, hi], checked before anything narrows or multiplies it. */
    int bounded(simdjson::dom::object o, std::string_view key, std::int64_t fallback, std::int64_t lo, std::int64_t hi)
    {
        std::int64_t v = integer(o, key, fallback);
        if (v < lo || v > hi) {
            problem(std::string(key), "must be from " + std::to_string(lo) + " to " + std::to_string(hi));
            return static_cast<int>(fallback);
        }
        return static_cast<int>(v);
    }
};

/** Reads each item of the list `name` with `read(item, its own reader)`; an item that is
 *  not an object, and the item's problems, are reported as "<name>[i]" and
 *  "<name>[i].<field>". */
template <class Read> void each_object(reader& rd, simdjson::dom::array list, std::string_view name, Read read)
{
    std::size_t i = 0;
    for (simdjson::dom::element e : list) {
        std::string base = std::string(name) + "[" + std::to_string(i++) + "]";
        simdjson::dom::object item;
        if (e.get(item) != simdjson::SUCCESS) {
            rd.problem(base, "must be an object");
            continue;
        }
        std::vector<domain::rule_problem> inner;
        reader item_reader{inner};
        read(item, item_reader);
        for (auto& p : inner) rd.problem(base + "." + p.field, p.message);
    }
}

} // namespace

std::string_view weekday_name(date::weekday d) { return k_days[d.c_encoding()]; }

bool parse_weekday(std::string_view name, date::weekday& out)
{
    for (unsigned i = 0; i < k_days.size(); ++i) {
        if (k_days[i] == name) {
            out = date::weekday{i};
            return true;
        }
    }
    return false;
}

std::string encode_rule(const rule_spec& spec)
{
    const auto& r = spec.rule;
    util::json_writer w;
    w.begin_object();
    w.key("id").value(r.id);
    w.key("expert_id").value(r.expert_id);
    w.key("camp_id").value(r.camp_id);
    w.key("room_id").value(r.room_id);
    w.key("online_url").value(r.online_url);
    w.key("zone").value(r.zone);
    w.key("windows").begin_array();
    for (const auto& win : r.windows) {
        w.begin_object();
        w.key("day").value(weekday_name(win.day));
        w.key("start").value(domain::format_time_of_day(win.start));
        w.key("end").value(domain::format_time_of_day(win.end));
        w.end_object();
    }
    w.end_array();
    w.key("slot_minutes").value(static_cast<std::int64_t>(r.slot_length.count()));
    w.key("buffer_minutes").value(static_cast<std::int64_t>(r.buffer.count()));
    w.key("seats").value(r.seats);
    w.key("valid_from").value(domain::format_date(r.valid_from));
    if (r.valid_until) w.key("valid_until").value(domain::format_date(*r.valid_until));
    else w.key("valid_until").null();
    w.key("exceptions").begin_array();
    for (const auto& e : spec.exceptions) {
        w.begin_object();
        w.key("type").value(e.type == domain::rule_exception::kind::day_off ? "day_off" : "extra");
        w.key("date").value(domain::format_date(e.date));
        if (e.type == domain::rule_exception::kind::extra_window) {
            w.key("start").value(domain::format_time_of_day(e.start));
            w.key("end").value(domain::format_time_of_day(e.end));
        }
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return w.take();
}

decoded_rule decode_rule(std::string_view json)
{
    decoded_rule out;
    reader rd{out.problems};
    simdjson::dom::parser parser;
    simdjson::padded_string padded(json);
    simdjson::dom::element doc;
    if (parser.parse(padded).get(doc) != simdjson::SUCCESS) {
        rd.problem("", "is not valid JSON");
        return out;
    }
    simdjson::dom::object o;
    if (doc.get(o) != simdjson::SUCCESS) {
        rd.problem("", "must be a JSON object");
        return out;
    }
    auto& r = out.spec.rule;
    r.id = rd.str(o, "id", false);
    r.expert_id = rd.str(o, "expert_id", true);
    r.camp_id = rd.str(o, "camp_id", true);
    r.room_id = rd.str(o, "room_id", false);
    r.online_url = rd.str(o, "online_url", false);
    if (auto z = rd.str(o, "zone", false); !z.empty()) r.zone = z;
    r.slot_length = std::chrono::minutes(rd.bounded(o, "slot_minutes", 30, 1, 24 * 60));
    r.buffer = std::chrono::minutes(rd.bounded(o, "buffer_minutes", 0, 0, 24 * 60));
    r.seats = rd.bounded(o, "seats", 1, 1, 500);
    auto from = rd.str(o, "valid_from", true);
    if (!from.empty()) {
        if (auto d = domain::parse_date(from)) r.valid_from = *d;
        else rd.problem("valid_from", "must be a date YYYY-MM-DD");
    }
    auto until = rd.str(o, "valid_until", false);
    if (!until.empty()) {
        if (auto d = domain::parse_date(until)) r.valid_until = *d;
        else rd.problem("valid_until", "must be a date YYYY-MM-DD");
    }
    simdjson::dom::array windows;
    if (o["windows"].get(windows) != simdjson::SUCCESS) {
        rd.problem("windows", "is required: a list of {day, start, end}");
    } else {
        each_object(rd, windows, "windows", [&r](simdjson::dom::object wo, reader& wr) {
            domain::weekly_window win{};
            std::string day = wr.str(wo, "day", true), start = wr.str(wo, "start", true), end = wr.str(wo, "end", true);
            if (!day.empty() && !parse_weekday(day, win.day)) wr.problem("day", "must be one of mon..sun");
            auto s = domain::parse_time_of_day(start);
            auto en = domain::parse_time_of_day(end);
            if (!start.empty() && !s) wr.problem("start", "must be a time HH:MM");
            if (!end.empty() && !en) wr.problem("end", "must be a time HH:MM");
            if (wr.problems.empty()) {
                win.start = *s;
                win.end = *en;
                r.windows.push_back(win);
            }
        });
    }
    simdjson::dom::array exceptions;
    if (o["exceptions"].get(exceptions) == simdjson::SUCCESS) {
        each_object(rd, exceptions, "exceptions", [&out](simdjson::dom::object eo, reader& er) {
            domain::rule_exception ex;
            std::string type = er.str(eo, "type", true), date = er.str(eo, "date", true);
            if (type == "extra") ex.type = domain::rule_exception::kind::extra_window;
            else if (type != "day_off" && !type.empty()) er.problem("type", "must be day_off or extra");
            if (auto d = domain::parse_date(date)) ex.date = *d;
            else if (!date.empty()) er.problem("date", "must be a date YYYY-MM-DD");
            if (ex.type == domain::rule_exception::kind::extra_window) {
                auto s = domain::parse_time_of_day(er.str(eo, "start", true));
                auto en = domain::parse_time_of_day(er.str(eo, "end", true));
                if (s) ex.start = *s;
                else er.problem("start", "must be a time HH:MM");
                if (en) ex.end = *en;
                else er.problem("end", "must be a time HH:MM");
            }
            if (er.problems.empty())
                for (auto& p : domain::validate(ex)) er.problem(p.field, p.message);
            if (er.problems.empty()) out.spec.exceptions.push_back(ex);
        });
    }
    if (out.problems.empty())
        for (auto& p : domain::validate(r)) out.problems.push_back(p);
    return out;
}

} // namespace sp::store
