#include "app/seed_file.hpp"

#include "store/rule_codec.hpp"

#include <fstream>
#include <optional>
#include <sstream>
#include <toml++/toml.h>

namespace sp::app {
namespace {

struct entry_reader {
    const toml::table& t;
    std::string where; // "camp[2]"

    [[noreturn]] void fail(std::string_view field, std::string_view msg) const
    {
        throw seed_error(where + "." + std::string(field) + ": " + std::string(msg));
    }
    std::string str(std::string_view key, bool required = true, std::string fallback = {}) const
    {
        auto node = t[key];
        if (!node) {
            if (required) fail(key, "is required");
            return fallback;
        }
        auto v = node.value<std::string>();
        if (!v) fail(key, "must be a string");
        return *v;
    }
    /** What a parser made of `key`'s text; fails with `msg` when it could not. */
    template <class T> T parsed(std::optional<T> v, std::string_view key, std::string_view msg) const
    {
        if (!v) fail(key, msg);
        return *v;
    }
    std::int64_t integer(std::string_view key, std::int64_t fallback) const
    {
        auto node = t[key];
        if (!node) return fallback;
        // Integers only: toml++ would turn a float such as 1E19 into an int64 by an
        // out-of-range cast (undefined behaviour; found by the seed_file fuzzer).
        auto v = node.value_exact<std::int64_t>();
        if (!v) fail(key, "must be an integer");
        return *v;
    }
    /** An integer within [lo, hi], checked before anything narrows or multiplies it. */
    int bounded(std::string_view key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const
    {
        std::int64_t v = integer(key, fallback);
        if (v < lo || v > hi) fail(key, "must be from " + std::to_string(lo) + " to " + std::to_string(hi));
        return static_cast<int>(v);
    }
    std::vector<std::string> list(std::string_view key) const
    {
        std::vector<std::string> out;
        auto node = t[key];
        if (!node) return out;
        const toml::array* arr = node.as_array();
        if (!arr) fail(key, "must be a list of strings");
        for (const auto& e : *arr) {
            auto v = e.value<std::string>();
            if (!v) fail(key, "must be a list of strings");
            out.push_back(*v);
        }
        return out;
    }
};

template <class Fn>
void each(const toml::table& doc, std::string_view name, Fn fn)
{
    auto node = doc[name];
    if (!node) return;
    const toml::array* arr = node.as_array();
    if (!arr) throw seed_error(std::string(name) + ": must be an array of tables ([[" + std::string(name) + "]])");
    std::size_t i = 0;
    for (const auto& e : *arr) {
        const toml::table* t = e.as_table();
        std::string where = std::string(name) + "[" + std::to_string(i++) + "]";
        if (!t) throw seed_error(where + ": must be a table");
        fn(entry_reader{*t, where});
    }
}

void check_id(const entry_reader& r, const std::string& id)
{
    bool ok = !id.empty() && id.size() <= 40;
    for (char c : id) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    if (!ok) r.fail("id", "must be 1-40 characters of a-z, 0-9 and -");
}

} // namespace

hub_seed parse_seed(std::string_view text, std::string_view source, domain::instant now)
{
    toml::table doc;
    try {
        doc = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << source << ":" << e.source().begin.line << ": " << e.description();
        throw seed_error(msg.str());
    }
    hub_seed seed;
    const auto* berlin = domain::find_zone("Europe/Berlin");
    each(doc, "camp", [&](const entry_reader& r) {
        domain::camp c{r.str("id"), r.str("name"), r.str("city"), r.str("focus"), r.str("address"),
                       r.str("zone", false, "Europe/Berlin")};
        check_id(r, c.id);
        if (!domain::find_zone(c.zone)) r.fail("zone", "is not an IANA time zone");
        if (r.t["release_after_minutes"]) c.release_after_minutes = r.bounded("release_after_minutes", 10, 0, 24 * 60);
        if (auto v = r.t["auto_release"]; v) {
            if (!v.value<bool>()) r.fail("auto_release", "must be true or false");
            c.auto_release = *v.value<bool>();
        }
        seed.camps.push_back(std::move(c));
    });
    each(doc, "room", [&](const entry_reader& r) {
        domain::room room{r.str("id"), r.str("camp"), r.str("name"), r.bounded("capacity", 1, 1, 1000)};
        check_id(r, room.id);
        seed.rooms.push_back(std::move(room));
    });
    each(doc, "expert", [&](const entry_reader& r) {
        domain::expert e{r.str("id"),      r.str("name"),      r.str("title", false), r.str("bio", false),
                         r.list("topics"), r.list("languages"), r.list("camps")};
        check_id(r, e.id);
        seed.experts.push_back(std::move(e));
    });
    each(doc, "rule", [&](const entry_reader& r) {
        seed_rule sr;
        auto& rule = sr.rule;
        rule.id = r.str("id");
        check_id(r, rule.id);
        rule.expert_id = r.str("expert");
        rule.camp_id = r.str("camp");
        rule.room_id = r.str("room", false);
        rule.online_url = r.str("online_url", false);
        rule.zone = r.str("zone", false, "Europe/Berlin");
        rule.slot_length = std::chrono::minutes(r.bounded("slot_minutes", 30, 1, 24 * 60));
        rule.buffer = std::chrono::minutes(r.bounded("buffer_minutes", 0, 0, 24 * 60));
        rule.seats = r.bounded("seats", 1, 1, 500);
        std::string from = r.str("valid_from", false);
        const auto* zone = domain::find_zone(rule.zone);
        rule.valid_from = domain::local_date(now, zone ? zone : berlin);
        if (!from.empty())
            rule.valid_from = r.parsed(domain::parse_date(from), "valid_from", "must be a date YYYY-MM-DD");
        if (std::string until = r.str("valid_until", false); !until.empty())
            rule.valid_until = r.parsed(domain::parse_date(until), "valid_until", "must be a date YYYY-MM-DD");
        auto windows = r.t["windows"].as_array();
        if (!windows) r.fail("windows", "is required: [{ day = \"mon\", start = \"14:00\", end = \"16:00\" }]");
        std::size_t i = 0;
        for (const auto& w : *windows) {
            const toml::table* wt = w.as_table();
            entry_reader wr{wt ? *wt : toml::table{}, r.where + ".windows[" + std::to_string(i++) + "]"};
            if (!wt) wr.fail("", "must be a table");
            domain::weekly_window win{};
            if (!store::parse_weekday(wr.str("day"), win.day)) wr.fail("day", "must be one of mon..sun");
            std::string start = wr.str("start"), end = wr.str("end");
            win.start = wr.parsed(domain::parse_time_of_day(start), "start", "must be HH:MM");
            win.end = wr.parsed(domain::parse_time_of_day(end), "end", "must be HH:MM");
            rule.windows.push_back(win);
        }
        for (const auto& d : r.list("days_off")) {
            auto date = r.parsed(domain::parse_date(d), "days_off", "must be dates YYYY-MM-DD");
            sr.exceptions.push_back({domain::rule_exception::kind::day_off, date, {}, {}});
        }
        if (auto problems = domain::validate(rule); !problems.empty())
            r.fail(problems.front().field, problems.front().message);
        seed.rules.push_back(std::move(sr));
    });
    each(doc, "event", [&](const entry_reader& r) {
        domain::event e;
        e.id = r.str("id");
        check_id(r, e.id);
        e.camp_id = r.str("camp");
        e.room_id = r.str("room", false);
        e.expert_id = r.str("host", false);
        e.title = r.str("title");
        e.description = r.str("description", false);
        e.topic = r.str("topic", false);
        e.seats = r.bounded("seats", 20, 1, 500);
        if (r.t["start"]) {
            std::string start = r.str("start"), end = r.str("end");
            e.start = r.parsed(domain::parse_rfc3339(start), "start", "must be an RFC 3339 time");
            e.end = r.parsed(domain::parse_rfc3339(end), "end", "must be an RFC 3339 time");
        } else {
            auto at = r.parsed(domain::parse_time_of_day(r.str("at")), "at", "must be HH:MM");
            auto day = date::sys_days(domain::local_date(now, berlin)) + date::days(r.bounded("in_days", 7, 0, 3650));
            auto local = date::local_days(date::year_month_day(day)) + at;
            auto start = domain::resolve_local(date::local_seconds(local), berlin);
            if (!start) r.fail("at", "does not exist on that day (DST change)");
            e.start = *start;
            e.end = *start + std::chrono::minutes(r.bounded("minutes", 120, 1, 7 * 24 * 60));
        }
        if (e.end <= e.start) r.fail("end", "must be after start");
        seed.events.push_back(std::move(e));
    });
    if (const toml::table* demo = doc["demo"].as_table()) {
        entry_reader r{*demo, "demo"};
        seed.demo_admin_email = r.str("admin_email", false);
        if (!seed.demo_admin_email.empty() && seed.demo_admin_email.find('@') == std::string::npos)
            r.fail("admin_email", "must be an e-mail address");
    }
    return seed;
}

hub_seed read_seed_file(const std::string& path, domain::instant now)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw seed_error(path + ": cannot be opened");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_seed(ss.str(), path, now);
}

} // namespace sp::app
