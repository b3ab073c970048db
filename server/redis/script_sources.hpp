#pragma once
/**
 * The Lua scripts compiled into the binary (the .lua files in server/redis/scripts), by name
 * (the file name without .lua). Every multi-key change to the hub is one of these.
 */
#include <span>
#include <string_view>

namespace sp::redis {

struct script_source {
    std::string_view name;
    std::string_view body;
};

std::span<const script_source> builtin_scripts();

} // namespace sp::redis
