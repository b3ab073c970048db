#pragma once
/**
 * Repairs the end of the embedded Redis's append-only file before a redis-server loads it.
 * A redis-server killed while appending a MULTI/EXEC block (every Lua script's writes reach
 * the AOF as one) leaves the block cut off. Redis 7.0 with aof-load-truncated cuts the file
 * back only to the start of the cut-off command and keeps MULTI and the writes queued after
 * it; the next transaction's EXEC, appended after that restart, then applies on the restart
 * after writes that were never acknowledged (Valkey fixed it: valkey-io/valkey#4342). We cut the
 * last incremental file back to where its whole commands and whole transactions end.
 * Anything else that does not parse is left alone: Redis refuses such a file, and what to
 * drop is then the operator's call (redis-check-aof).
 * scan_aof() is pure (any istream); repair_aof_tail() does blocking file I/O: call it only at
 * start-up or off the io threads, and only while no redis-server uses the folder.
 */
#include <cstdint>
#include <istream>
#include <string>

namespace sp::redis {

/** What reading one AOF file from its start found. */
struct aof_scan {
    enum class ending {
        whole,     // every command is complete, no MULTI is left open
        cut_off,   // ends inside a command or inside a MULTI block; `keep` bytes are whole
        malformed, // something other than a cut-off end does not parse, at `keep`
    };
    ending end = ending::whole;
    std::uint64_t size = 0;          // bytes read
    std::uint64_t keep = 0;          // whole: size; cut_off: where to cut; malformed: where it breaks
    bool open_transaction = false;   // cut_off: the cut drops an unfinished MULTI block
    std::uint64_t queued_writes = 0; // cut_off: complete commands queued in that block
    std::string problem;             // malformed: what did not parse
};

aof_scan scan_aof(std::istream& in);

/** What repair_aof_tail() did. */
struct aof_repair {
    std::string file; // the last incremental AOF; empty when there is none yet
    aof_scan scan;
    bool truncated = false;
};

/** Finds the last incremental file of `<redis_dir>/appendonlydir` through its manifest and,
 *  when it ends cut off, truncates it to its whole part and fsyncs it. Throws
 *  std::runtime_error when a file cannot be read or truncated. */
aof_repair repair_aof_tail(const std::string& redis_dir);

} // namespace sp::redis
