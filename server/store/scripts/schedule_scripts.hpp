#pragma once
/**
 * Typed bindings of the scripts that change the schedule (redis/scripts/
 * sessions_upsert.lua, session_cancel.lua, session_late.lua); see
 * store/script_runner.hpp.
 */
#include "domain/zoned_time.hpp"
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"

#include <string>
#include <vector>

namespace sp::store::scripts {

/** Brings an owner's (a rule's or an event's) future sessions in line with its plan:
 *  new ones created, changed ones updated, unbooked vanished ones removed, booked
 *  vanished ones kept as 'orphaned'. Refuses with retry when the owner's future sessions
 *  are no longer those the caller saw. */
struct sessions_upsert {
    static constexpr std::string_view name = "sessions_upsert";
    static constexpr auto effect = redis::script_effect::tells_users;
    static constexpr bool writes_outbox = false;
    struct planned {
        std::string id;
        domain::instant start, end;
        int seats = 0;
        std::string week; // ISO week in the owner's zone (the per-week limit counts by it)
        std::string plan_hash;
    };
    struct input {
        std::string owner_id, camp_id, expert_id;
        domain::instant now;
        std::int64_t change_log_max = 0;
        std::vector<std::string> common; // field, value pairs every session of the owner shares
        std::vector<planned> plan;
        std::vector<std::string> seen;   // the owner's future session ids, as the caller read them
    };
    struct reply {
        int created = 0, updated = 0, removed = 0, orphaned = 0;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{{k.owner_sessions(in.owner_id), k.sessions(), k.camp_sessions(in.camp_id),
                                      k.expert_sessions(in.expert_id), k.changes()},
                             {epoch(in.now), std::to_string(in.change_log_max), std::to_string(in.plan.size()),
                                      std::to_string(in.seen.size()), std::to_string(in.common.size() / 2)}};
        for (const auto& f : in.common) c.args.push_back(f);
        for (const auto& p : in.plan) {
            c.keys.push_back(k.session(p.id));
            c.args.insert(c.args.end(), {p.id, epoch(p.start), epoch(p.end), std::to_string(p.seats), p.week, p.plan_hash});
        }
        for (const auto& id : in.seen) {
            c.keys.push_back(k.session(id));
            c.keys.push_back(k.session_waitlist(id));
            c.args.push_back(id);
        }
        c.keys.push_back(k.busy_times(in.expert_id));
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out = {int_at(r, 1), int_at(r, 2), int_at(r, 3), int_at(r, 4)};
        return str_at(r, 0) == "ok" && r.elements.size() == 5;
    }
};

/** Cancels a session with everyone in it (told `message`). Refuses with retry when its
 *  bookings are no longer those the caller found. */
struct session_cancel {
    static constexpr std::string_view name = "session_cancel";
    static constexpr auto effect = redis::script_effect::tells_users;
    static constexpr bool writes_outbox = true;
    struct held_place {
        std::string booking_id;
        std::string founder_key; // keys::founder("-") when the booking's founder was erased
    };
    struct input {
        std::string session_id, message, by;
        domain::instant now;
        std::int64_t change_log_max = 0;
        std::vector<held_place> held;
    };
    struct reply {
        int cancelled = 0;
        std::string version;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{{k.session(in.session_id), k.session_bookings(in.session_id),
                                      k.session_waitlist(in.session_id), k.changes()},
                             {epoch(in.now), std::to_string(in.change_log_max), in.message, in.by, in.session_id}};
        for (const auto& h : in.held) {
            c.keys.push_back(k.booking(h.booking_id));
            c.keys.push_back(h.founder_key);
            c.args.push_back(h.booking_id);
        }
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out = {int_at(r, 1), str_at(r, 2)};
        return str_at(r, 0) == "ok";
    }
};

/** The expert runs `minutes` late (0 clears it); the founders are told. */
struct session_late {
    static constexpr std::string_view name = "session_late";
    static constexpr auto effect = redis::script_effect::tells_users;
    static constexpr bool writes_outbox = true;
    struct input {
        std::string session_id;
        int minutes = 0;
        std::string by;
        domain::instant now;
        std::int64_t change_log_max = 0;
    };
    struct reply {
        std::string version;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.session(in.session_id), k.changes(), k.session_bookings(in.session_id)},
                {std::to_string(in.minutes), epoch(in.now), in.by, std::to_string(in.change_log_max),
                         in.session_id}};
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out.version = str_at(r, 1);
        return str_at(r, 0) == "ok";
    }
};

} // namespace sp::store::scripts
