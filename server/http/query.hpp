#pragma once
/** The query string of a request target as decoded name/value pairs ('+' is a space).
 *  Malformed escapes make the whole query invalid: nullopt. */
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sp::http {

using query_params = std::map<std::string, std::string, std::less<>>;

std::optional<query_params> parse_query(std::string_view target);

} // namespace sp::http
