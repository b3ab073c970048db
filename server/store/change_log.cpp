#include "store/change_log.hpp"

namespace sp::store {

std::vector<log_entry> parse_log_entries(const redis::reply& range)
{
    std::vector<log_entry> out;
    if (range.type != redis::reply::kind::array) return out;
    out.reserve(range.elements.size());
    for (const auto& e : range.elements) {
        if (e.elements.size() != 2) continue;
        log_entry entry;
        entry.id = e.elements[0].str;
        const auto& f = e.elements[1].elements;
        for (std::size_t i = 0; i + 1 < f.size(); i += 2) entry.fields[f[i].str] = f[i + 1].str;
        out.push_back(std::move(entry));
    }
    return out;
}

std::vector<log_entry> parse_xread(const redis::reply& reply)
{
    if (reply.type != redis::reply::kind::array || reply.elements.empty()) return {};
    const auto& stream = reply.elements[0];
    if (stream.elements.size() != 2) return {};
    return parse_log_entries(stream.elements[1]);
}

} // namespace sp::store
