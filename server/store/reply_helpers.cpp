#include "store/reply_helpers.hpp"

#include "log/logger.hpp"
#include "store/outcome.hpp"

#include <charconv>

namespace sp::store {

bool usable(const redis::result& r, outcome& o)
{
    if (!r && r.error() == redis::errc::script_failed) {
        o.defect = true; // logged with the script's name by redis::client::eval
        o.detail = r.error().message();
        return false;
    }
    if (!r) {
        o.unavailable = true;
        o.not_replicated = r.error() == redis::errc::not_replicated;
        o.detail = r.error().message();
        return false;
    }
    if (r->is_error()) {
        // A script error is a bug or a misconfigured Redis, never the user's fault.
        o.unavailable = true;
        o.detail = r->str;
        log::error("redis_script_error", {{"reply", r->str}});
        return false;
    }
    return true;
}

std::string str_at(const redis::reply& r, std::size_t i)
{
    if (r.type != redis::reply::kind::array || i >= r.elements.size()) return {};
    const auto& e = r.elements[i];
    return e.type == redis::reply::kind::integer ? std::to_string(e.integer) : e.str;
}

int int_at(const redis::reply& r, std::size_t i)
{
    if (r.type != redis::reply::kind::array || i >= r.elements.size()) return 0;
    const auto& e = r.elements[i];
    if (e.type == redis::reply::kind::integer) return static_cast<int>(e.integer);
    int v = 0;
    std::from_chars(e.str.data(), e.str.data() + e.str.size(), v);
    return v;
}

field_map to_map(const redis::reply& flat)
{
    field_map m;
    for (std::size_t i = 0; i + 1 < flat.elements.size(); i += 2) m[flat.elements[i].str] = flat.elements[i + 1].str;
    return m;
}

std::string get(const field_map& m, std::string_view k)
{
    auto it = m.find(k);
    return it == m.end() ? std::string{} : it->second;
}

std::int64_t get_int(const field_map& m, std::string_view k)
{
    std::string v = get(m, k);
    std::int64_t out = 0;
    std::from_chars(v.data(), v.data() + v.size(), out);
    return out;
}

domain::booking booking_from(const field_map& m)
{
    domain::booking b;
    b.id = get(m, "id");
    b.session_id = get(m, "session_id");
    b.status = get(m, "status");
    b.name = get(m, "name");
    b.email = get(m, "email");
    b.startup = get(m, "startup");
    b.question = get(m, "question");
    b.lang = get(m, "lang");
    b.created_at = domain::instant(std::chrono::seconds(get_int(m, "created_at")));
    b.sequence = static_cast<int>(get_int(m, "sequence"));
    b.cancel_message = get(m, "cancel_message");
    b.promoted_at = domain::instant(std::chrono::seconds(get_int(m, "promoted_at")));
    b.walkin = !get(m, "walkin").empty();
    b.rescheduled_from = get(m, "rescheduled_from");
    b.checked_in = get_int(m, "checked_in_at") > 0;
    b.released = get_int(m, "released_at") > 0;
    return b;
}

} // namespace sp::store
