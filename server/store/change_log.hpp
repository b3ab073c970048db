#pragma once
/**
 * Entries of the hub's change log (the Redis stream `P changes`) as plain values. The
 * entry id is the version clients see. Parsing of XRANGE / XREAD replies lives here;
 * reading is in change_log_store (ranges) and change_tailer (the blocking follower).
 */
#include "redis/reply.hpp"

#include <map>
#include <string>
#include <vector>

namespace sp::store {

struct log_entry {
    std::string id;
    std::map<std::string, std::string, std::less<>> fields;

    std::string field(std::string_view name) const
    {
        auto it = fields.find(name);
        return it == fields.end() ? std::string{} : it->second;
    }
};

/** Entries of an XRANGE reply (an array of [id, [field, value, ...]]). */
std::vector<log_entry> parse_log_entries(const redis::reply& range);

/** Entries of an XREAD reply for one stream ([[stream, entries]]); empty for nil. */
std::vector<log_entry> parse_xread(const redis::reply& reply);

} // namespace sp::store
