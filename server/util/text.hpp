#pragma once
/**
 * Small checks and conversions of text that several layers need (request fields, live
 * messages, password rules, origins). Pure functions; thread-safe.
 */
#include <cstddef>
#include <string>
#include <string_view>

namespace sp::util {

/** A lenient but real check of an e-mail address: local@domain.tld, no spaces or
 *  control characters, at most 254 characters. */
bool plausible_email(std::string_view email);

/** True for ids as the hub makes them ([a-z0-9-], 1-100 characters). Anything else
 *  from a path or query is refused before it could become part of a Redis key. */
bool valid_id(std::string_view id);

/** Text escaped for HTML or XML, in an element or a quoted attribute (& < > " '). */
std::string escape_html(std::string_view s);

/** Lower-cases ASCII letters. */
std::string lower_ascii(std::string_view s);

/** The number of Unicode characters in UTF-8 text (the limits are in characters). */
std::size_t utf8_length(std::string_view s);

} // namespace sp::util
