#pragma once
/**
 * Typed bindings of redis/scripts/backup_dump.lua and backup_restore.lua: a whole hub
 * copied out, or put back, in one atomic step; see store/script_runner.hpp.
 */
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"
#include "store/scripts/script_binding.hpp"

#include <cstdlib>
#include <string>
#include <vector>

namespace sp::store::scripts {

/** Refuses with too_many_keys (detail: how many) when the hub exceeds `max_keys`. */
struct backup_dump : script<"backup_dump", redis::script_effect::reads, outbox_use::none> {
    struct input {
        std::string key_glob;
        std::size_t max_keys = 0;
    };
    struct dumped_key {
        std::string name; // with the prefix
        long long pttl_ms = 0;
        std::string payload;
    };
    struct reply {
        int layout_version = 0;
        std::string change_log; // the last id, "" when empty
        std::vector<dumped_key> keys;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.meta(), k.changes()}, {in.key_glob, std::to_string(in.max_keys)}};
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        const auto& e = r.elements;
        if (e.size() < 3 || e[0].str != "ok" || (e.size() - 3) % 3 != 0) return false;
        out.layout_version = std::atoi(e[1].str.c_str());
        out.change_log = e[2].str;
        for (std::size_t i = 3; i + 2 < e.size(); i += 3)
            out.keys.push_back({e[i].str, std::atoll(e[i + 1].str.c_str()), e[i + 2].str});
        return true;
    }
};

/** Refuses with not_empty (detail: how many keys) unless told to replace. */
struct backup_restore : script<"backup_restore", redis::script_effect::tells_users, outbox_use::none> {
    struct restored_key {
        std::string name; // with the prefix
        long long pttl_ms = 0;
        std::string payload;
    };
    struct input {
        std::string key_glob;
        bool replace = false;
        std::vector<restored_key> keys;
    };
    struct reply {
        std::size_t restored = 0, replaced = 0;
    };
    static redis::script_arguments call(const keys&, input& in)
    {
        redis::script_arguments c{{}, {in.key_glob, in.replace ? "1" : "0"}};
        c.keys.reserve(in.keys.size());
        c.args.reserve(2 + 2 * in.keys.size());
        for (auto& k : in.keys) {
            c.keys.push_back(std::move(k.name));
            c.args.push_back(std::to_string(k.pttl_ms));
            c.args.push_back(std::move(k.payload));
        }
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        if (r.elements.size() != 3 || r.elements[0].str != "ok") return false;
        out = {static_cast<std::size_t>(r.elements[1].integer), static_cast<std::size_t>(r.elements[2].integer)};
        return true;
    }
};

} // namespace sp::store::scripts
