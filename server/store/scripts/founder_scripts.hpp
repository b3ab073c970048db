#pragma once
/**
 * Typed binding of redis/scripts/founder_erase.lua: erases founders' personal data from
 * bookings, on request or after the retention period; see store/script_runner.hpp.
 */
#include "domain/zoned_time.hpp"
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"
#include "store/scripts/script_binding.hpp"

#include <string>
#include <vector>

namespace sp::store::scripts {

/** Refuses with booking_active (detail: the booking) when a booking still holds a place
 *  in a coming session: that place is given up the normal way first. */
struct founder_erase : script<"founder_erase", redis::script_effect::tells_users, outbox_use::none>, erased_reply {
    struct entry {
        std::string booking_id;
        std::string token_hash;                 // "-" when erased already
        std::string founder_key;                // keys::founder("-") when erased already
        std::string session_start, session_end; // epoch seconds, "0" when the session is gone
    };
    struct input {
        domain::instant now, cutoff;
        std::int64_t change_log_max = 0;
        std::string mode; // "founder" or "retention"
        std::string by;
        std::vector<entry> bookings;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{{k.changes(), k.personal_data()},
                                  {epoch(in.now), std::to_string(in.change_log_max), in.mode, epoch(in.cutoff), in.by,
                                   in.mode == "retention" ? "retention" : "request"}};
        for (const auto& b : in.bookings) {
            c.keys.insert(c.keys.end(), {k.booking(b.booking_id), k.token(b.token_hash), b.founder_key,
                                         k.founder_all(b.founder_key), k.founder_no_shows(b.founder_key)});
            c.args.insert(c.args.end(), {b.booking_id, b.session_start, b.session_end});
        }
        return c;
    }
};

} // namespace sp::store::scripts
