#pragma once
/**
 * Typed bindings of the read-only scripts (redis/scripts/read_hashes.lua,
 * read_sessions.lua, log_bounds.lua): several keys read in one round trip, at one
 * point in time. See store/script_runner.hpp for what a binding is.
 */
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"
#include "store/scripts/script_binding.hpp"

#include <string>
#include <utility>
#include <vector>

namespace sp::store::scripts {

/** HGETALL of each key; a missing hash reads as an empty map. */
struct read_hashes : script<"read_hashes", redis::script_effect::reads, outbox_use::none> {
    struct input {
        std::vector<std::string> hash_keys;
    };
    using reply = std::vector<field_map>;
    static redis::script_arguments call(const keys&, input& in) { return {std::move(in.hash_keys), {}}; }
    static bool parse(const redis::reply& r, reply& out)
    {
        for (const auto& h : r.elements)
            out.push_back(to_map(h));
        return true;
    }
};

/** Sessions with the length of their waitlists, by id; unknown ids read as empty maps. */
struct read_sessions : script<"read_sessions", redis::script_effect::reads, outbox_use::none> {
    struct input {
        std::vector<std::string> session_ids;
    };
    struct session_record {
        field_map fields;
        int waiting = 0;
    };
    using reply = std::vector<session_record>;
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c;
        for (const auto& id : in.session_ids) {
            c.keys.push_back(k.session(id));
            c.keys.push_back(k.session_waitlist(id));
        }
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        for (const auto& pair : r.elements) {
            if (pair.elements.size() != 2) return false;
            out.push_back({to_map(pair.elements[0]), static_cast<int>(pair.elements[1].integer)});
        }
        return true;
    }
};

/** The change log's first and last ids, and whether `since` is one of its entries. */
struct log_bounds : script<"log_bounds", redis::script_effect::reads, outbox_use::none> {
    struct input {
        std::string since;
    };
    struct reply {
        std::string first, last;
        bool since_in_log = false;
    };
    static redis::script_arguments call(const keys& k, const input& in) { return {{k.changes()}, {in.since}}; }
    static bool parse(const redis::reply& r, reply& out)
    {
        if (r.elements.size() != 3) return false;
        out = {str_at(r, 0), str_at(r, 1), int_at(r, 2) == 1};
        return true;
    }
};

} // namespace sp::store::scripts
