#pragma once
/**
 * Typed bindings of the scripts that change the schedule (redis/scripts/
 * sessions_upsert.lua, session_cancel.lua, session_late.lua, session_end_early.lua,
 * session_extend.lua); see store/script_runner.hpp.
 */
#include "domain/zoned_time.hpp"
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"
#include "store/scripts/script_binding.hpp"

#include <string>
#include <vector>

namespace sp::store::scripts {

/** Brings an owner's (a rule's or an event's) future sessions in line with its plan:
 *  new ones created, changed ones updated, unbooked vanished ones removed, booked
 *  vanished ones kept as 'orphaned'. Refuses with retry when the owner's future sessions
 *  are no longer those the caller saw. */
struct sessions_upsert : script<"sessions_upsert", redis::script_effect::tells_users, outbox_use::none> {
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
        std::vector<std::string> seen; // the owner's future session ids, as the caller read them
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
        for (const auto& f : in.common)
            c.args.push_back(f);
        for (const auto& p : in.plan) {
            c.keys.push_back(k.session(p.id));
            c.args.insert(c.args.end(),
                          {p.id, epoch(p.start), epoch(p.end), std::to_string(p.seats), p.week, p.plan_hash});
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
struct session_cancel : script<"session_cancel", redis::script_effect::tells_users, outbox_use::writes> {
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
struct session_late : script<"session_late", redis::script_effect::tells_users, outbox_use::writes>, version_reply {
    struct input {
        std::string session_id;
        int minutes = 0;
        std::string by;
        domain::instant now;
        std::int64_t change_log_max = 0;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.session(in.session_id), k.changes(), k.session_bookings(in.session_id)},
                {std::to_string(in.minutes), epoch(in.now), in.by, std::to_string(in.change_log_max), in.session_id}};
    }
};

/** A booking of a session with its founder's zset, whose entry moves with the session's end. */
struct held_place {
    std::string booking_id;
    std::string founder_key; // keys::founder("-") when the booking's founder was erased
};

/** The expert ends their running session now; the rest, when at least `min_walkin`,
 *  becomes the open one-seat walk-in session `rest_id`. Refuses with retry when the
 *  session's bookings are no longer those the caller found. */
struct session_end_early : script<"session_end_early", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        std::string session_id, rest_id, camp_id, expert_id, by;
        domain::instant now;
        std::chrono::seconds min_walkin{0};
        std::int64_t change_log_max = 0;
        std::vector<held_place> held;
    };
    struct reply {
        std::string version;
        std::string rest_id; // "" when the rest was too short
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{{k.session(in.session_id), k.session_bookings(in.session_id),
                                   k.session_waitlist(in.session_id), k.changes(), k.sessions(),
                                   k.camp_sessions(in.camp_id), k.expert_sessions(in.expert_id), k.session(in.rest_id)},
                                  {epoch(in.now), std::to_string(in.change_log_max), in.session_id, in.rest_id,
                                   std::to_string(in.min_walkin.count()), in.by}};
        for (const auto& h : in.held) {
            c.keys.push_back(k.booking(h.booking_id));
            c.keys.push_back(h.founder_key);
        }
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out = {str_at(r, 1), str_at(r, 2)};
        return str_at(r, 0) == "ok";
    }
};

/** The expert extends their session by `extend_by`; free sessions of theirs the extension
 *  reaches give way (start later, or close when less than `min_walkin` is left). Refuses
 *  with next-session-booked (detail: that session's id) when one of them is booked or
 *  has a waitlist, and with retry when the session's end, the expert's sessions in reach
 *  or the bookings are no longer those the caller read. */
struct session_extend : script<"session_extend", redis::script_effect::tells_users, outbox_use::none> {
    struct in_reach {
        std::string id, camp_id, owner_id;
    };
    struct input {
        std::string session_id, expert_id, by;
        domain::instant now;
        domain::instant seen_end;
        std::chrono::seconds extend_by{0}, min_walkin{0};
        std::int64_t change_log_max = 0;
        std::vector<in_reach> reached; // the expert's sessions from this one's start until before the new end
        std::vector<held_place> held;
    };
    struct reply {
        std::string version;
        domain::instant new_end;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{
            {k.session(in.session_id), k.session_bookings(in.session_id), k.session_waitlist(in.session_id),
             k.changes(), k.sessions(), k.expert_sessions(in.expert_id)},
            {epoch(in.now), std::to_string(in.change_log_max), in.session_id, std::to_string(in.extend_by.count()),
             std::to_string(in.min_walkin.count()), in.by, epoch(in.seen_end), std::to_string(in.reached.size())}};
        for (const auto& t : in.reached) {
            c.keys.push_back(k.session(t.id));
            c.keys.push_back(k.session_waitlist(t.id));
            c.keys.push_back(k.camp_sessions(t.camp_id));
            c.keys.push_back(k.owner_sessions(t.owner_id));
            c.args.push_back(t.id);
        }
        for (const auto& h : in.held) {
            c.keys.push_back(k.booking(h.booking_id));
            c.keys.push_back(h.founder_key);
        }
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out.version = str_at(r, 1);
        out.new_end = domain::instant(std::chrono::seconds(std::stoll("0" + str_at(r, 2))));
        return str_at(r, 0) == "ok";
    }
};

} // namespace sp::store::scripts
