#include "http/query.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

namespace sp::http {

std::optional<query_params> parse_query(std::string_view target)
{
    query_params out;
    auto q = target.find('?');
    if (q == std::string_view::npos) return out;
    std::string_view rest = target.substr(q + 1);
    rest = rest.substr(0, rest.find('#'));
    // Boost.URL checks the whole query (RFC 3986 characters, every escape) before anything
    // is decoded; '+' is a space, as browsers send form values. Boost 1.81's parse_query
    // measures its input with strlen (it rebuilds a string_view from data()), so it gets a
    // NUL-terminated copy, and a query with a raw NUL in it is malformed anyway.
    if (rest.find('\0') != std::string_view::npos) return std::nullopt;
    const std::string copy(rest);
    boost::core::string_view encoded(copy.data(), copy.size());
    if (!boost::urls::parse_query(encoded)) return std::nullopt;
    boost::urls::encoding_opts opt;
    opt.space_as_plus = true;
    for (const boost::urls::param& p : boost::urls::params_view(encoded, opt)) {
        if (p.key.empty() && !p.has_value) continue; // "a=1&&b=2": an empty pair
        out[p.key] = p.value;                         // a name given twice: the last one counts
    }
    return out;
}

} // namespace sp::http
