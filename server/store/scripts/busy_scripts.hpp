#pragma once
/**
 * Typed bindings of redis/scripts/busy_calendar_add.lua, busy_calendar_remove.lua and
 * busy_import.lua: an expert's own calendars (secret addresses) and the busy times
 * imported from them; see store/script_runner.hpp.
 */
#include "domain/zoned_time.hpp"
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"
#include "store/scripts/script_binding.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sp::store::scripts {

/** Refuses with unknown_record, too_many_calendars or calendar_exists. */
struct busy_calendar_add : script<"busy_calendar_add", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        std::string expert_id, calendar_id, url;
        std::int64_t max_calendars = 0;
        domain::instant now;
    };
    struct reply {};
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.expert(in.expert_id), k.busy_feeds(in.expert_id), k.busy_state(in.expert_id), k.busy_experts()},
                {in.expert_id, in.calendar_id, in.url, std::to_string(in.max_calendars), epoch(in.now)}};
    }
    static bool parse(const redis::reply& r, reply&) { return str_at(r, 0) == "ok"; }
};

/** Refuses with unknown_calendar, or retry when the expert's future sessions are not
 *  those in `seen`. */
struct busy_calendar_remove : script<"busy_calendar_remove", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        std::string expert_id, calendar_id;
        domain::instant now;
        std::int64_t change_log_max = 0;
        std::vector<std::string> seen; // the expert's future session ids, as the caller read them
    };
    struct reply {};
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{{k.busy_feeds(in.expert_id), k.busy_state(in.expert_id), k.busy_times(in.expert_id),
                                   k.busy_experts(), k.expert_sessions(in.expert_id), k.changes()},
                                  {in.expert_id, in.calendar_id, epoch(in.now), std::to_string(in.change_log_max),
                                   std::to_string(in.seen.size())}};
        for (const auto& id : in.seen) {
            c.keys.push_back(k.session(id));
            c.args.push_back(id);
        }
        return c;
    }
    static bool parse(const redis::reply& r, reply&) { return str_at(r, 0) == "ok"; }
};

/** Refuses only with retry (the expert's future sessions are not those in `seen`);
 *  `changed` when the calendar's busy times are different now, `conflicts` the booked
 *  sessions that became busy (each queued one e-mail to the expert). */
struct busy_import : script<"busy_import", redis::script_effect::tells_users, outbox_use::writes> {
    struct input {
        std::string expert_id, calendar_id, url;
        std::string what; // fetched | not-modified | failed
        domain::instant now;
        std::string error, error_code;
        std::string busy; // "start-end ..." in epoch seconds
        std::int64_t count = 0;
        std::string etag, last_modified;
        std::int64_t change_log_max = 0;
        std::vector<std::string> seen; // the expert's future session ids, as the caller read them
    };
    struct reply {
        bool changed = false;
        int conflicts = 0;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{{k.busy_feeds(in.expert_id), k.busy_state(in.expert_id), k.busy_times(in.expert_id),
                                   k.expert_sessions(in.expert_id), k.changes()},
                                  {in.calendar_id, in.url, in.what, epoch(in.now), in.error, in.busy,
                                   std::to_string(in.count), in.etag, in.last_modified, in.expert_id,
                                   std::to_string(in.change_log_max), in.error_code, std::to_string(in.seen.size())}};
        for (const auto& id : in.seen) {
            c.keys.push_back(k.session(id));
            c.args.push_back(id);
        }
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out.changed = int_at(r, 1) == 1;
        out.conflicts = int_at(r, 2);
        return str_at(r, 0) == "ok" && r.elements.size() == 3;
    }
};

} // namespace sp::store::scripts
