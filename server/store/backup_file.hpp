#pragma once
/**
 * The file format of a hub backup (sprechstunde-admin backup / restore): pure code, no I/O.
 *
 *   sprechstunde-backup 1\n
 *   {"layout_version":1,"prefix":"sp:{hub}:","change_log":"<last id>","keys":N,"bytes":B,"taken_at":"..."}\n
 *   <zlib stream of B bytes: per key u32 name length, name (without the prefix),
 *    i64 pttl in ms (-1: none), u32 payload length, Redis DUMP payload; little endian>
 *   \nsha256 <hex of SHA-256 over every byte before this line>\n
 *
 * The checksum trailer comes last, so a truncated file lacks it and an altered one
 * fails it; decode checks it before it reads anything else. Thread-safe (no state).
 */
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sp::store {

struct snapshot_key {
    std::string name; // without the hub's prefix
    std::int64_t pttl_ms = -1;
    std::string payload; // DUMP format of the Redis that took it
};

struct hub_snapshot {
    int layout_version = 0;
    std::string prefix;     // the prefix the keys had when taken
    std::string change_log; // the last change-log id at that moment ("" for an empty log)
    std::string taken_at;   // RFC 3339, UTC
    std::vector<snapshot_key> keys;
};

/** The backup file's bytes. */
std::string encode_backup(const hub_snapshot& s);

/** The snapshot in `bytes`, or why the file is refused (truncated, altered, not a backup). */
std::variant<hub_snapshot, std::string> decode_backup(std::string_view bytes);

} // namespace sp::store
