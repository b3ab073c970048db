#pragma once
/**
 * Every Redis key of a hub, built from the configured prefix (with its {hash tag}) and
 * server-made IDs only. schema/redis.md documents each key; this is the one place that
 * spells them.
 */
#include <string>
#include <string_view>

namespace sp::store {

class keys {
public:
    explicit keys(std::string prefix) : p_(std::move(prefix)) {}

    std::string meta() const { return p_ + "meta"; }
    std::string changes() const { return p_ + "changes"; }

    std::string camps() const { return p_ + "camps"; }
    std::string camp(std::string_view id) const { return cat("camp:", id); }
    std::string camp_rooms(std::string_view id) const { return cat("camp:", id, ":rooms"); }
    std::string camp_sessions(std::string_view id) const { return cat("camp:", id, ":sessions"); }
    std::string rooms() const { return p_ + "rooms"; }
    std::string room(std::string_view id) const { return cat("room:", id); }
    std::string experts() const { return p_ + "experts"; }
    std::string expert(std::string_view id) const { return cat("expert:", id); }
    std::string expert_rules(std::string_view id) const { return cat("expert:", id, ":rules"); }
    std::string expert_sessions(std::string_view id) const { return cat("expert:", id, ":sessions"); }
    std::string expert_photo(std::string_view id) const { return cat("expert:", id, ":photo"); }
    std::string experts_with_photo() const { return p_ + "experts_with_photo"; }
    std::string rules() const { return p_ + "rules"; }
    std::string rule(std::string_view id) const { return cat("rule:", id); }
    std::string owner_sessions(std::string_view owner_id) const { return cat("owner:", owner_id, ":sessions"); }
    std::string events() const { return p_ + "events"; }
    std::string event(std::string_view id) const { return cat("event:", id); }

    std::string sessions() const { return p_ + "sessions"; }
    std::string session(std::string_view id) const { return cat("session:", id); }
    std::string session_bookings(std::string_view id) const { return cat("session:", id, ":bookings"); }
    std::string session_waitlist(std::string_view id) const { return cat("session:", id, ":waitlist"); }

    std::string booking(std::string_view id) const { return cat("booking:", id); }
    std::string token(std::string_view token_hash) const { return cat("token:", token_hash); }
    std::string founder(std::string_view email_hash) const { return cat("founder:", email_hash); }
    /** Every booking a founder ever made (until erased): `founder_key` + ":all". */
    std::string founder_all(std::string_view founder_key) const { return std::string(founder_key) + ":all"; }
    /** A founder's released no-shows, scored by when each stops counting: `founder_key` + ":no_shows". */
    std::string founder_no_shows(std::string_view founder_key) const { return std::string(founder_key) + ":no_shows"; }
    std::string personal_data() const { return p_ + "personal"; }
    std::string outbox() const { return p_ + "outbox"; }
    std::string outbox_seq() const { return p_ + "outbox:seq"; }
    std::string outbox_dead() const { return p_ + "outbox:dead"; }
    std::string reminder_cursor() const { return p_ + "reminders"; }
    std::string feed(std::string_view token_hash) const { return cat("feed:", token_hash); }
    /** The current feed of a subject; `subject` is an id or a founder's hashed e-mail. */
    std::string feed_of(std::string_view kind, std::string_view subject) const
    {
        return cat("feed_of:", kind, ":", subject);
    }
    /** An expert's own calendars: experts with any, their URLs, each feed's state and busy times. */
    std::string busy_experts() const { return p_ + "busy:experts"; }
    std::string busy_feeds(std::string_view expert_id) const { return cat("busy:feeds:", expert_id); }
    std::string busy_state(std::string_view expert_id) const { return cat("busy:state:", expert_id); }
    std::string busy_times(std::string_view expert_id) const { return cat("busy:times:", expert_id); }
    std::string busy_lease(std::string_view expert_id) const { return cat("busy:lease:", expert_id); }
    std::string busy_fetching(std::string_view expert_id) const { return cat("busy:fetching:", expert_id); }
    std::string idempotency(std::string_view key_hash) const { return cat("idem:", key_hash); }

    /** A camp's walk-in queue (entry ids by ticket) and its ticket counter. */
    std::string camp_walkins(std::string_view camp_id) const { return cat("camp:", camp_id, ":walkins"); }
    std::string camp_walkin_seq(std::string_view camp_id) const { return cat("camp:", camp_id, ":walkin_seq"); }
    std::string walkin(std::string_view id) const { return cat("walkin:", id); }
    std::string walkin_token(std::string_view token_hash) const { return cat("walkin_token:", token_hash); }
    /** Every walk-in entry by when it joined (the retention sweep's list). */
    std::string walkins() const { return p_ + "walkins"; }
    /** Open walk-in offers by deadline (the walk-in sweep's list). */
    std::string walkin_offers() const { return p_ + "walkin_offers"; }
    /** A founder's walk-in entries (those given with an e-mail): `founder_key` + ":walkins". */
    std::string founder_walkins(std::string_view founder_key) const { return std::string(founder_key) + ":walkins"; }

    std::string accounts() const { return p_ + "accounts"; }
    std::string account(std::string_view id) const { return cat("account:", id); }
    std::string account_email(std::string_view email_hash) const { return cat("account_email:", email_hash); }
    std::string account_sessions(std::string_view id) const { return cat("account:", id, ":sessions"); }
    std::string login_session(std::string_view sid_hash) const { return cat("login_session:", sid_hash); }
    std::string invitation(std::string_view token_hash) const { return cat("invite:", token_hash); }
    std::string throttle(std::string_view scope, std::string_view key_hash) const
    {
        return cat("throttle:", scope, ":", key_hash);
    }
    /** Secret-token lookups that found nothing, per client address (hashed). */
    std::string token_misses(std::string_view address_hash) const { return cat("misses:", address_hash); }

    const std::string& prefix() const { return p_; }

private:
    // Built by appending (not `"x" + std::string(...)`, which GCC 12 at -O2 reports as
    // an overlapping memcpy, bug 105329).
    std::string cat(std::string_view a, std::string_view b, std::string_view c = {}, std::string_view d = {}) const
    {
        std::string out;
        out.reserve(p_.size() + a.size() + b.size() + c.size() + d.size());
        out += p_;
        out += a;
        out += b;
        out += c;
        out += d;
        return out;
    }
    std::string p_;
};

} // namespace sp::store
