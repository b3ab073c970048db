// The calendar feed name: GET /feeds/{file} takes the path segment, percent-decoded
// (http/router.cpp), requires ".ics" and looks the rest up only if it is a plausible
// token (api/calendar_api.cpp, store/feed_store.cpp). The split lives inside the route
// handler, so feed_token() below restates it; the parts it calls are the server's.
// Properties: a name reaches the lookup only as 43 base64url characters, and the URL
// the server hands out (…/feeds/<token>.ics) leads back to its token.
#include "fuzz_check.hpp"
#include "util/percent_encoding.hpp"
#include "util/secrets.hpp"

#include <optional>

using sp::fuzz::check;

namespace {

/** The token a /feeds/{file} segment looks up, or nullopt when the route answers 404
 *  without asking Redis. */
std::optional<std::string> feed_token(std::string_view segment)
{
    std::string file;
    if (segment.empty() || !sp::util::percent_decode(segment, file)) return std::nullopt; // router: no match
    if (!file.ends_with(".ics")) return std::nullopt;
    std::string token = file.substr(0, file.size() - 4);
    if (!sp::util::plausible_token(token)) return std::nullopt;
    return token;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view segment = sp::fuzz::text(data, size);
    if (segment.find('/') != std::string_view::npos) return 0; // not one segment: another route
    if (auto token = feed_token(segment)) {
        check(token->size() == 43, "a looked-up token has 43 characters", *token);
        check(token->find_first_of("./%\\") == std::string::npos, "a looked-up token has no path characters", *token);
    }
    if (sp::util::plausible_token(segment)) {
        auto back = feed_token(std::string(segment) + ".ics");
        check(back && *back == segment, "a feed URL leads back to its token", segment);
    }
    return 0;
}
