#pragma once
/**
 * Plain blocking reads of the hub's Redis keys (hiredis), for what the scenarios need
 * before and after the load: which sessions to book, and whether any session was
 * oversold. Never used while a measurement runs.
 */
#include "common.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sp::bench {

/** Ids in the sorted set `prefix + index` (sessions scored by start) starting after
 *  `min_start` (epoch seconds), in start order. */
std::vector<std::string> list_sessions(std::uint16_t redis_port, const std::string& prefix, const std::string& index,
                                       std::int64_t min_start);

/** Checks every session of the hub: seats taken never above seats, and the set of
 *  confirmed bookings as large as the taken count. Writes {"sessions","oversold",
 *  "mismatched","bookings","outbox_queued","ok"} (mail not yet sent); returns ok. */
bool check_no_oversell(std::uint16_t redis_port, const std::string& prefix, json_out& out);

} // namespace sp::bench
