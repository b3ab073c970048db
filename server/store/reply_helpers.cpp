#include "store/reply_helpers.hpp"

#include "log/logger.hpp"
#include "store/hub_store.hpp"

#include <charconv>

namespace sp::store {

bool usable(const redis::result& r, outcome& o)
{
    if (!r) {
        o.unavailable = true;
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

} // namespace sp::store
