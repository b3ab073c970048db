#pragma once
/**
 * The Redis ceiling for bookings: the server's own book.lua (loaded from its source
 * file, so the same SHA the server runs), driven straight at Redis with EVALSHA over
 * `connections` connections, one call in flight each, with the same KEYS and ARGV
 * shapes booking_store::book sends (ids, hashes and sealed token of the same lengths, the
 * same limits). What the server adds on top of this is what B1 measures.
 */
#include "common.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sp::bench {

struct book_script_options {
    std::uint16_t redis_port = 0;
    int connections = 64;
    double duration_s = 5;
    double rate = 0; // calls per second on a fixed schedule; 0: all-out
    std::string script_path; // server/redis/scripts/book.lua
    std::string prefix = "sp:{hub}:";
    std::vector<std::string> sessions;
    // The server's [booking] settings, as the run script configures them.
    std::int64_t min_notice_s = 0, horizon_s = 60 * 86400, max_upcoming = 100, max_per_week = 50, waitlist_max = 20,
                 idempotency_ttl_s = 86400, change_log_max = 100000;
    std::vector<std::string> pids;
};

void run_book_script(const book_script_options& o, json_out& out);

} // namespace sp::bench
