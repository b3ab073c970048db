#pragma once
/**
 * Typed bindings of the outbox's own scripts (redis/scripts/outbox_claim.lua,
 * outbox_settle.lua, reminders_sweep.lua); see store/script_runner.hpp. The scripts that
 * queue messages next to a change declare writes_outbox instead.
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

/** Leases up to `max` due messages to this sender. */
struct outbox_claim : script<"outbox_claim", redis::script_effect::housekeeping, outbox_use::none> {
    struct input {
        domain::instant now;
        std::chrono::seconds lease{0};
        std::size_t max = 0;
    };
    using reply = std::vector<std::string>; // the claimed members
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.outbox()}, {epoch(in.now), std::to_string(in.lease.count()), std::to_string(in.max)}};
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        for (const auto& e : r.elements)
            out.push_back(e.str);
        return r.type == redis::reply::kind::array;
    }
};

/** Removes a claimed message, puts it back for a retry, or moves it to the dead letters. */
struct outbox_settle : script<"outbox_settle", redis::script_effect::housekeeping, outbox_use::none> {
    struct input {
        std::string member, how, retry_member, due, dead_entry;
        std::size_t dead_letters_kept = 0;
    };
    struct reply {
        bool settled = false; // false: someone else settled it first
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.outbox(), k.outbox_dead()},
                {in.member, in.how, in.retry_member, in.due, in.dead_entry, std::to_string(in.dead_letters_kept)}};
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out.settled = r.integer == 1;
        return r.type == redis::reply::kind::integer;
    }
};

/** Queues the reminders of one lead time exactly once across instances; refuses with
 *  retry when another instance moved the cursor meanwhile. */
struct reminders_sweep : script<"reminders_sweep", redis::script_effect::housekeeping, outbox_use::writes> {
    struct due_booking {
        std::string booking_id, session_id;
    };
    struct input {
        std::string lead_minutes, cursor_seen, new_cursor;
        domain::instant now;
        std::vector<due_booking> bookings;
    };
    struct reply {
        int queued = 0;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{{k.reminder_cursor()},
                                  {in.lead_minutes, in.cursor_seen, in.new_cursor, epoch(in.now)}};
        for (const auto& b : in.bookings) {
            c.keys.push_back(k.booking(b.booking_id));
            c.args.push_back(b.booking_id);
            c.args.push_back(b.session_id);
        }
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out.queued = int_at(r, 1);
        return str_at(r, 0) == "ok";
    }
};

} // namespace sp::store::scripts
