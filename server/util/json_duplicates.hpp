#pragma once
/**
 * Finding a key that appears twice in one JSON object. RFC 8259 leaves the meaning of
 * {"consent":true,"consent":false} to the reader, and a reader that takes the first (or
 * the last) lets two components of one request disagree about what was asked; every
 * JSON body and message the server reads is refused with `duplicate-key` instead.
 * Pure; no allocation but for the answer and one small buffer per object.
 */
#include <simdjson.h>
#include <string>

namespace sp::util {

/** The path of the first key that appears twice in the same object anywhere in `e`
 *  ("consent", "weekly[0].start"), or an empty string when there is none. */
std::string first_duplicate_key(simdjson::dom::element e);

} // namespace sp::util
