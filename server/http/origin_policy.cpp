#include "http/origin_policy.hpp"

#include "util/text.hpp"

namespace sp::http {

bool origin_allowed(std::string_view origin, std::string_view host, const std::vector<std::string>& allowed)
{
    if (origin.empty()) return true;
    std::string o = util::lower_ascii(origin);
    for (const auto& a : allowed)
        if (util::lower_ascii(a) == o) return true;
    auto scheme = o.find("://");
    if (scheme == std::string::npos || host.empty()) return false;
    return o.substr(scheme + 3) == util::lower_ascii(host);
}

std::vector<std::string> split_origins(std::string_view list)
{
    std::vector<std::string> out;
    std::string cur;
    for (char c : list) {
        if (c == ' ' || c == ',' || c == '\t') {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

} // namespace sp::http
