#pragma once
/**
 * Typed bindings of the walk-in queue's scripts (redis/scripts/walkin_join.lua,
 * walkin_leave.lua, walkin_offer.lua, walkin_settle.lua, walkin_erase.lua; a claim and a
 * call-in are book.lua's modes 'claim' and 'callin', see booking_scripts.hpp). Each owns
 * its script's KEYS and ARGV order; see store/script_runner.hpp.
 */
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"
#include "store/scripts/script_binding.hpp"

#include <string>
#include <vector>

namespace sp::store::scripts {

struct walkin_join : script<"walkin_join", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        std::string entry_id, camp_id;
        domain::instant now;
        std::string name, email, topic, lang;
        std::string token_hash;
        std::string founder_key;                // "" without an e-mail
        std::string manage_hash, sealed_manage; // of the manage token a booking will have
        int queue_max = 50;
        std::int64_t change_log_max = 0;
    };
    struct reply {
        int ticket = 0, position = 0;
        std::string version;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.camp(in.camp_id), k.camp_walkins(in.camp_id), k.camp_walkin_seq(in.camp_id), k.walkin(in.entry_id),
                 k.walkin_token(in.token_hash), k.walkins(),
                 in.founder_key.empty() ? k.walkin(in.entry_id) : k.founder_walkins(in.founder_key), k.changes()},
                {in.entry_id, epoch(in.now), in.camp_id, in.name, in.email, in.topic, in.lang, in.token_hash,
                 std::to_string(in.queue_max), std::to_string(in.change_log_max), in.founder_key, in.manage_hash,
                 in.sealed_manage}};
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out = {int_at(r, 1), int_at(r, 2), str_at(r, 3)};
        return str_at(r, 0) == "ok" && r.elements.size() == 4;
    }
};

/** The founder leaves, or an admin removes the entry; an open offer is withdrawn. The
 *  version is "" when it had left already. */
struct walkin_leave : script<"walkin_leave", redis::script_effect::tells_users, outbox_use::none>, version_reply {
    struct input {
        std::string entry_id, camp_id;
        std::string offer_session; // as read; "" when none
        domain::instant now;
        std::string by;
        std::int64_t change_log_max = 0;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        const std::string& s = in.offer_session;
        return {{k.walkin(in.entry_id), k.camp_walkins(in.camp_id), k.walkin_offers(),
                 s.empty() ? k.walkin(in.entry_id) : k.session(s),
                 s.empty() ? k.walkin(in.entry_id) : k.session_waitlist(s), k.changes()},
                {in.entry_id, epoch(in.now), in.by, std::to_string(in.change_log_max), s}};
    }
};

/** Offers a session's free seat to the candidate the caller picked (domain::next_in_line),
 *  passing the waiting ids it passed over; the script verifies the queue's order. */
struct walkin_offer : script<"walkin_offer", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        std::string session_id, entry_id, camp_id;
        domain::instant now, until;
        std::vector<std::string> passed_over;
        std::int64_t change_log_max = 0;
    };
    struct reply {
        int ticket = 0;
        std::string version;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{
            {k.session(in.session_id), k.session_waitlist(in.session_id), k.camp_walkins(in.camp_id),
             k.walkin(in.entry_id), k.walkin_offers(), k.changes()},
            {in.session_id, in.entry_id, epoch(in.now), epoch(in.until), std::to_string(in.change_log_max)}};
        c.args.insert(c.args.end(), in.passed_over.begin(), in.passed_over.end());
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out = {int_at(r, 1), str_at(r, 2)};
        return str_at(r, 0) == "ok" && r.elements.size() == 3;
    }
};

/** Ends an open offer without a booking: the founder declines, or its deadline passed. */
struct walkin_settle : script<"walkin_settle", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        bool expire = false; // false: the founder declines
        std::string entry_id, camp_id, offer_session;
        domain::instant now;
        std::int64_t change_log_max = 0;
    };
    struct reply {
        std::string version;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.walkin(in.entry_id), k.camp_walkins(in.camp_id), k.walkin_offers(), k.session(in.offer_session),
                 k.session_waitlist(in.offer_session), k.changes()},
                {in.expire ? "expire" : "decline", in.entry_id, epoch(in.now), in.offer_session,
                 std::to_string(in.change_log_max)}};
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out.version = str_at(r, 1);
        return str_at(r, 0) == "ok" && r.elements.size() == 2;
    }
};

/** Erases walk-in entries (the founder's request, or the retention sweep). */
struct walkin_erase : script<"walkin_erase", redis::script_effect::tells_users, outbox_use::none>, erased_reply {
    struct entry {
        std::string entry_id, camp_id, token_hash, offer_session, founder_key; // "" when none
    };
    struct input {
        domain::instant now;
        std::int64_t change_log_max = 0;
        std::string reason; // "request" or "retention"
        std::string by;
        std::vector<entry> entries;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{{k.changes(), k.walkins(), k.walkin_offers()},
                                  {epoch(in.now), std::to_string(in.change_log_max), in.reason, in.by}};
        for (const auto& e : in.entries) {
            std::string own = k.walkin(e.entry_id);
            c.keys.insert(c.keys.end(), {own, k.walkin_token(e.token_hash.empty() ? "-" : e.token_hash),
                                         k.camp_walkins(e.camp_id.empty() ? "-" : e.camp_id),
                                         e.offer_session.empty() ? own : k.session(e.offer_session),
                                         e.founder_key.empty() ? own : k.founder_walkins(e.founder_key)});
            c.args.insert(c.args.end(), {e.entry_id, e.offer_session});
        }
        return c;
    }
};

} // namespace sp::store::scripts
