#pragma once
/** Percent-decoding (RFC 3986) for URL paths, query strings and Redis URLs. */
#include <string>
#include <string_view>

namespace sp::util {

/** Decodes %XX escapes of `in` into `out`; false on a malformed escape. */
bool percent_decode(std::string_view in, std::string& out);

} // namespace sp::util
