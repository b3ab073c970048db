#pragma once
/**
 * Typed binding of redis/scripts/feed_rotate.lua: issues, replaces or revokes the secret
 * address of a calendar feed; see store/script_runner.hpp.
 */
#include "domain/zoned_time.hpp"
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"
#include "store/scripts/script_binding.hpp"

#include <string>

namespace sp::store::scripts {

/** Refuses with retry when the subject's feed is no longer the one the caller read. */
struct feed_rotate : script<"feed_rotate", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        std::string kind, subject;
        std::string old_hash; // "" = none
        std::string new_hash; // "" = revoke
        domain::instant now;
    };
    struct reply {};
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.feed_of(in.kind, in.subject), k.feed(in.old_hash.empty() ? "-" : in.old_hash),
                 k.feed(in.new_hash.empty() ? "-" : in.new_hash)},
                {in.kind, in.subject, in.new_hash, in.old_hash, epoch(in.now)}};
    }
    static bool parse(const redis::reply& r, reply&) { return str_at(r, 0) == "ok"; }
};

} // namespace sp::store::scripts
