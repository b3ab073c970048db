#pragma once
/**
 * Takes a hub's keys out of Redis and puts them back (sprechstunde-admin backup and
 * restore), each in one atomic script: backup_dump.lua copies every key under the
 * prefix at one point of the change log, even while the server books;
 * backup_restore.lua writes them all or nothing. Coroutines on the client's executor;
 * no state of its own.
 */
#include "redis/client.hpp"
#include "store/backup_file.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>
#include <variant>

namespace sp::store {

/** The glob that matches exactly the keys starting with `prefix` (glob characters escaped). */
std::string key_glob(const std::string& prefix);

/** Every key under `prefix`, or why not (Redis unavailable, more than `max_keys`). */
boost::asio::awaitable<std::variant<hub_snapshot, std::string>> take_snapshot(redis::client& redis, std::string prefix,
                                                                              std::size_t max_keys);

struct restore_outcome {
    std::string problem; // "" when restored
    std::size_t restored = 0;
    std::size_t replaced = 0; // keys the hub had before (only with `replace`)
};

/** Writes `s` under `prefix` (the snapshot's own prefix may differ). Refuses a hub that
 *  has keys unless `replace`; refuses a layout newer than `layout_version` (this
 *  program's). */
boost::asio::awaitable<restore_outcome> restore_snapshot(redis::client& redis, std::string prefix, const hub_snapshot& s,
                                                         bool replace, int layout_version);

} // namespace sp::store
