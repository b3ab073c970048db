#pragma once
/**
 * Typed bindings of the scripts that change a founder's place in a session
 * (redis/scripts/book.lua, cancel.lua, reschedule.lua, booking_attendance.lua, checkin.lua,
 * release.lua). Each
 * owns its script's KEYS and ARGV order; see store/script_runner.hpp.
 */
#include "domain/booking_policy.hpp"
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"
#include "store/scripts/script_binding.hpp"

#include <string>

namespace sp::store::scripts {

/** The limits every booking and move is checked against, as the scripts take them. */
struct booking_rules {
    domain::booking_limits limits;
    int waitlist_max = 20;
    std::int64_t change_log_max = 100'000;
};

struct book : script<"book", redis::script_effect::tells_users, outbox_use::writes> {
    struct input {
        bool waitlist = false;
        std::string booking_id, session_id;
        domain::instant now;
        booking_rules rules;
        int no_show_limit = 0;    // no-shows that limit a founder (0 = no limit) ...
        int limited_upcoming = 1; // ... to this many upcoming bookings
        std::string founder_key;  // keys::founder of the e-mail's hash
        std::string token, token_hash;
        std::string idempotency_hash; // "-" when the request has no key
        std::string request_hash;     // "" when the request has no key
        std::string sealed_token;     // "" when the request has no key
        std::chrono::seconds idempotency_ttl{0};
        std::string name, email, startup, question, lang;
        // A walk-in founder's booking (mode claim or callin; see book.lua): their entry,
        // its camp, and for a call-in the expert who calls.
        std::string walkin_mode; // "" (book / waitlist), "claim" or "callin"
        std::string walkin_id, walkin_camp, calling_expert;
    };
    struct reply {
        bool replayed = false;
        std::string booking_id;
        std::string sealed_token; // replayed: the token, sealed with the idempotency key
        std::string status;
        int taken = 0, waiting = 0;
        std::string version;
        field_map booking, session;
    };
    static redis::script_arguments call(const keys& k, const input& in);
    static bool parse(const redis::reply& r, reply& out);
};

/** Gives up a place; a freed seat goes to the head of the waitlist the caller saw. */
struct cancel : script<"cancel", redis::script_effect::tells_users, outbox_use::writes> {
    struct input {
        std::string booking_id, session_id, founder_key;
        std::string waitlist_head; // "" when nobody waited
        domain::instant now;
        std::int64_t change_log_max = 0;
        std::string by;
    };
    struct reply {
        std::string previous_status, promoted_booking;
        int taken = 0, waiting = 0;
        std::string version;
    };
    static redis::script_arguments call(const keys& k, const input& in);
    static bool parse(const redis::reply& r, reply& out);
};

/** Moves a confirmed booking to another session of the same expert. */
struct reschedule : script<"reschedule", redis::script_effect::tells_users, outbox_use::writes> {
    struct input {
        std::string booking_id, old_session_id, new_session_id, founder_key;
        std::string old_waitlist_head; // "" when nobody waited
        domain::instant now;
        booking_rules rules;
    };
    struct reply {
        std::string promoted_booking;
        int old_taken = 0, new_taken = 0;
        std::string version;
    };
    static redis::script_arguments call(const keys& k, const input& in);
    static bool parse(const redis::reply& r, reply& out);
};

/** Records attended / no_show for a confirmed booking; the version is "" when it was already so.
 *  A released no-show comes off the founder's no-show record when marked attended, and goes
 *  back on when marked a no-show again. */
struct booking_attendance : script<"booking_attendance", redis::script_effect::tells_users, outbox_use::none>,
                            version_reply {
    struct input {
        std::string booking_id, session_id, status, by;
        std::string founder_key; // "" when the founder's data was erased
        domain::instant now;
        std::int64_t change_log_max = 0;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        // Without a founder (erased), the booking's own key stands in for their record.
        const std::string no_shows =
            in.founder_key.empty() ? k.booking(in.booking_id) : k.founder_no_shows(in.founder_key);
        return {{k.booking(in.booking_id), k.changes(), k.session(in.session_id), no_shows},
                {in.status, epoch(in.now), in.by, std::to_string(in.change_log_max), in.session_id, in.founder_key}};
    }
};

/** A founder (or the expert for them) checks in to a confirmed booking within the window. */
struct checkin : script<"checkin", redis::script_effect::tells_users, outbox_use::none>, version_reply {
    struct input {
        std::string booking_id, session_id, by;
        domain::instant now;
        std::chrono::seconds open_before{0}; // check-in opens this long before the effective start
        std::int64_t change_log_max = 0;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.booking(in.booking_id), k.changes(), k.session(in.session_id)},
                {epoch(in.now), in.by, std::to_string(in.open_before.count()), std::to_string(in.change_log_max),
                 in.session_id}};
    }
};

/** Releases a no-show; the freed seat goes to the waitlist head the caller saw, or
 *  stays free (the change-log entry says `free`). */
struct release : script<"release", redis::script_effect::tells_users, outbox_use::writes> {
    struct input {
        std::string booking_id, session_id;
        std::string founder_key;   // "" when the founder's data was erased
        std::string waitlist_head; // "" when nobody waited
        domain::instant now;
        std::chrono::seconds release_after{0}; // the camp's, past the effective start
        std::chrono::seconds late_seat_grace{0}; // from the moment a founder got the seat after the start
        domain::instant counts_until;          // when this no-show stops counting for the founder's limit
        std::int64_t change_log_max = 0;
        std::string by; // "auto" or the expert's account id
    };
    struct reply {
        std::string promoted_booking;
        int taken = 0, waiting = 0;
        std::string version;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        // Without a founder (erased), the script touches neither founder key: the
        // booking's own key stands in for them.
        const std::string founder = in.founder_key.empty() ? k.booking(in.booking_id) : in.founder_key;
        const std::string no_shows =
            in.founder_key.empty() ? k.booking(in.booking_id) : k.founder_no_shows(in.founder_key);
        const std::string& head = in.waitlist_head;
        return {{k.booking(in.booking_id), k.session(in.session_id), k.session_bookings(in.session_id),
                 k.session_waitlist(in.session_id), k.booking(head.empty() ? in.booking_id : head), founder, no_shows,
                 k.changes()},
                {in.booking_id, in.session_id, epoch(in.now), std::to_string(in.release_after.count()), head,
                 std::to_string(in.change_log_max), in.by, epoch(in.counts_until), in.founder_key,
                 std::to_string(in.late_seat_grace.count())}};
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out = {str_at(r, 1), int_at(r, 2), int_at(r, 3), str_at(r, 4)};
        return str_at(r, 0) == "ok" && r.elements.size() == 5;
    }
};

} // namespace sp::store::scripts
