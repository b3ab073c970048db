#include "http/query.hpp"

#include "util/percent_encoding.hpp"

namespace sp::http {

std::optional<query_params> parse_query(std::string_view target)
{
    query_params out;
    auto q = target.find('?');
    if (q == std::string_view::npos) return out;
    std::string_view rest = target.substr(q + 1);
    rest = rest.substr(0, rest.find('#'));
    while (!rest.empty()) {
        auto amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string name(pair.substr(0, eq)), value(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
        for (auto* s : {&name, &value})
            for (char& c : *s)
                if (c == '+') c = ' ';
        std::string dn, dv;
        if (!util::percent_decode(name, dn) || !util::percent_decode(value, dv)) return std::nullopt;
        out[dn] = dv;
    }
    return out;
}

} // namespace sp::http
