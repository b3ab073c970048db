#pragma once
/** A Redis stream id ("1700000000000-3": milliseconds, then a sequence) as a pair that
 *  compares like the ids do; {0, 0} for an empty or malformed one. */
#include <charconv>
#include <cstdint>
#include <string_view>
#include <utility>

namespace sp::util {

using stream_id = std::pair<std::uint64_t, std::uint64_t>;

inline stream_id parse_stream_id(std::string_view id)
{
    std::uint64_t ms = 0, seq = 0;
    auto dash = id.find('-');
    if (dash == std::string_view::npos) return {0, 0};
    std::from_chars(id.data(), id.data() + dash, ms);
    std::from_chars(id.data() + dash + 1, id.data() + id.size(), seq);
    return {ms, seq};
}

} // namespace sp::util
