#pragma once
/**
 * One call of a built-in Lua script, as its typed binding (store/scripts/) composes it:
 * the script's name, what its result means for durability, and its KEYS and ARGV in the
 * order the script reads them. redis::client::eval runs it; nothing else in the server
 * decides anything from a script's name.
 */
#include <string>
#include <string_view>
#include <vector>

namespace sp::redis {

/** What a script's result is to the people using the hub. */
enum class script_effect {
    reads,        // changes nothing
    housekeeping, // changes only what no user was told about (rate limits, the outbox queue)
    tells_users,  // a change a user is told about: with durability "replicated" it waits for replicas
};

/** A script's KEYS and ARGV, in the order it reads them. */
struct script_arguments {
    std::vector<std::string> keys;
    std::vector<std::string> args;
};

struct script_call {
    std::string_view name; // a file in server/redis/scripts without .lua
    script_effect effect = script_effect::tells_users;
    std::vector<std::string> keys;
    std::vector<std::string> args;
};

} // namespace sp::redis
