#pragma once
/**
 * Typed bindings of the scripts behind accounts and sign-in (redis/scripts/
 * invite_create.lua, invite_accept.lua, login_session_create.lua,
 * login_session_delete.lua, throttle.lua, token_misses.lua); see
 * store/script_runner.hpp.
 */
#include "domain/zoned_time.hpp"
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"
#include "store/scripts/script_binding.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace sp::store::scripts {

/** Creates (or renews) an invitation and queues its e-mail in the same step. */
struct invite_create : script<"invite_create", redis::script_effect::tells_users, outbox_use::writes>, version_reply {
    struct input {
        std::string email, role, expert_id, created_by;
        domain::instant now;
        std::chrono::seconds lifetime{0};
        std::int64_t change_log_max = 0;
        std::string token, token_hash;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.invitation(in.token_hash), k.changes()},
                {in.email, in.role, in.expert_id, in.created_by, epoch(in.now), std::to_string(in.lifetime.count()),
                 std::to_string(in.change_log_max), in.token_hash, in.token}};
    }
};

/** Turns an invitation into an account; refuses with account_exists, unknown_invitation,
 *  or retry when the invitation is no longer the one the caller read. */
struct invite_accept : script<"invite_accept", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        std::string token_hash, email_hash, account_id, password_hash, email;
        domain::instant now;
        std::int64_t change_log_max = 0;
    };
    struct reply {
        std::string role, expert_id;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.invitation(in.token_hash), k.account_email(in.email_hash), k.account(in.account_id), k.accounts(),
                 k.changes()},
                {in.account_id, in.password_hash, epoch(in.now), std::to_string(in.change_log_max), in.email}};
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out = {str_at(r, 1), str_at(r, 2)};
        return str_at(r, 0) == "ok";
    }
};

struct login_session_create : script<"login_session_create", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        std::string session_hash, account_id;
        domain::instant now, expires_at;
        std::chrono::seconds idle{0};
    };
    struct reply {};
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.login_session(in.session_hash), k.account_sessions(in.account_id)},
                {in.account_id, epoch(in.now), epoch(in.expires_at), std::to_string(in.idle.count())}};
    }
    static bool parse(const redis::reply& r, reply&) { return str_at(r, 0) == "ok"; }
};

/** Ends some (or all) of an account's sign-ins; the value is how many still existed. */
struct login_session_delete : script<"login_session_delete", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        std::string account_id;
        std::vector<std::string> session_keys;
        std::int64_t change_log_max = 0;
    };
    struct reply {
        int ended = 0;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{{k.account_sessions(in.account_id), k.changes()},
                                  {in.account_id, std::to_string(in.change_log_max)}};
        c.keys.insert(c.keys.end(), in.session_keys.begin(), in.session_keys.end());
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out.ended = static_cast<int>(r.integer);
        return r.type == redis::reply::kind::integer;
    }
};

/** A token bucket: one attempt taken if there is one. */
struct throttle : script<"throttle", redis::script_effect::housekeeping, outbox_use::none> {
    struct input {
        std::string bucket_key;
        int capacity = 0;
        double refill_per_second = 0;
        std::int64_t now_ms = 0;
    };
    struct reply {
        bool allowed = false;
        std::chrono::milliseconds retry_after{0};
    };
    static redis::script_arguments call(const keys&, const input& in)
    {
        return {{in.bucket_key},
                {std::to_string(in.capacity), std::to_string(in.refill_per_second), std::to_string(in.now_ms)}};
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        if (r.elements.size() != 2) return false;
        out = {r.elements[0].integer == 1, std::chrono::milliseconds(r.elements[1].integer)};
        return true;
    }
};

/** Counts an address's lookups of unknown links ('miss') or only reads the count ('check');
 *  the value is how long the address must wait before it may look up links again. */
struct token_misses : script<"token_misses", redis::script_effect::housekeeping, outbox_use::none> {
    struct input {
        std::string counter_key, mode;
        int limit = 0;
        std::chrono::milliseconds window{0};
    };
    struct reply {
        std::chrono::milliseconds wait{0};
    };
    static redis::script_arguments call(const keys&, const input& in)
    {
        return {{in.counter_key}, {in.mode, std::to_string(in.limit), std::to_string(in.window.count())}};
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out.wait = std::chrono::milliseconds(r.integer);
        return r.type == redis::reply::kind::integer;
    }
};

} // namespace sp::store::scripts
