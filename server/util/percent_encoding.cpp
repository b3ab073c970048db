#include "util/percent_encoding.hpp"

#include <boost/url/pct_string_view.hpp>

namespace sp::util {

bool percent_decode(std::string_view in, std::string& out)
{
    // Boost.URL checks every escape (a '%' and two hex digits) before anything is decoded.
    auto encoded = boost::urls::make_pct_string_view(boost::core::string_view(in.data(), in.size()));
    if (!encoded) return false;
    out.clear();
    out.reserve(encoded->decoded_size());
    encoded->decode({}, boost::urls::string_token::assign_to(out));
    return true;
}

} // namespace sp::util
