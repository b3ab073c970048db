#pragma once
/**
 * The hub's data in Redis: the only code that knows the key layout and calls the Lua
 * scripts. Every change is one script (atomic, with its change-log entry); reads are
 * single round trips where possible. Speaks domain types, never Beast or hiredis.
 *
 * Outcomes carry either the result, a refusal code (a rule said no: nothing was
 * written), or `unavailable` (Redis did not answer in time: the change may or may not
 * have happened; callers answer 503 and clients retry with their idempotency key).
 * Thread-safety: all members may be called concurrently from any strand.
 */
#include "domain/booking_policy.hpp"
#include "domain/hub.hpp"
#include "domain/office_hours.hpp"
#include "redis/client.hpp"
#include "store/change_log.hpp"
#include "store/keys.hpp"

#include <boost/asio/awaitable.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct store_settings {
    std::string prefix = "sp:{hub}:";
    std::int64_t change_log_max = 100'000;
    std::chrono::seconds idempotency_ttl{std::chrono::hours(24)};
    int waitlist_max = 20;
    domain::booking_limits limits;
    std::chrono::days expansion_horizon{56};
    bool webhooks = false; // queue a webhook call next to each booking message
};

/** What every operation reports besides its value. */
struct outcome {
    std::string refusal;      // machine code ("full", "unknown-session", ...); empty = done
    bool unavailable = false; // Redis failed; the detail is in `detail`
    std::string detail;
    bool not_replicated = false; // with unavailable: the change is on the primary, but no replica confirmed it
    bool defect = false;         // a script failed on its own (redis::errc::script_failed): a server bug, not an outage
    bool ok() const { return refusal.empty() && !unavailable && !defect; }
};

template <class T>
struct result : outcome {
    T value{};
};

/** The change log's first and last entry ids ('' when empty), and whether a resuming
 *  client's `since` is an entry of this log (only then can it be resumed from). */
struct log_position {
    std::string first;
    std::string last;
    bool since_in_log = false;
};

struct session_query {
    domain::instant from;
    domain::instant to;
    std::string camp_id;
    std::string expert_id;
    bool free_only = false;
    std::size_t limit = 500;
};

struct book_request {
    std::string session_id;
    bool waitlist = false;
    std::string name;
    std::string email; // normalised (trimmed, lower-case) by the caller
    std::string startup;
    std::string question;
    std::string lang;
    std::string idempotency_key; // empty: none
    std::string fingerprint;     // identifies the request body, for idempotency conflicts
};

struct managed_booking {
    domain::booking booking;
    domain::session session;
};

struct book_result {
    std::string booking_id;
    std::string token; // the manage token (only here: the store keeps its hash)
    std::string status;
    int taken = 0;
    int waiting = 0;
    std::string version;
    bool replayed = false;
    managed_booking view; // the booking and its session as they are now
};

struct cancel_result {
    std::string previous_status;
    std::string promoted_booking; // the waitlisted booking that got the seat, if any
    int taken = 0;
    int waiting = 0;
    std::string version;
};

struct expansion_counts {
    int created = 0, updated = 0, removed = 0, orphaned = 0;
};

class hub_store {
public:
    /** One Redis hash as field -> value. */
    using record = std::map<std::string, std::string, std::less<>>;

    hub_store(redis::client& redis, store_settings settings);

    const store_settings& settings() const { return settings_; }

    // Reads.
    boost::asio::awaitable<result<std::vector<domain::camp>>> camps();
    boost::asio::awaitable<result<std::vector<domain::room>>> rooms();
    boost::asio::awaitable<result<std::vector<domain::expert>>> experts();
    boost::asio::awaitable<result<std::vector<domain::session>>> sessions(session_query q);
    boost::asio::awaitable<result<domain::session>> session(std::string id); // refusal "unknown-session"
    boost::asio::awaitable<result<managed_booking>> booking_by_token(std::string token); // "unknown-token"
    boost::asio::awaitable<result<managed_booking>> booking_by_id(std::string id);       // "unknown-booking"

    /** Sessions by id, in the order asked; missing ones are left out. */
    boost::asio::awaitable<result<std::vector<domain::session>>> sessions_by_id(std::vector<std::string> ids);

    // The change log.
    /** Up to `count` entries after `version` (exclusive), oldest first. */
    boost::asio::awaitable<result<std::vector<log_entry>>> log_after(std::string version, std::size_t count);
    /** The change log's ends, and whether `since` is one of its entries. */
    boost::asio::awaitable<result<log_position>> log_bounds(std::string since);

    // Founders.
    boost::asio::awaitable<result<book_result>> book(book_request req, domain::instant now);
    boost::asio::awaitable<result<cancel_result>> cancel_by_token(std::string token, domain::instant now);
    boost::asio::awaitable<result<cancel_result>> reschedule_by_token(std::string token, std::string new_session_id,
                                                                      domain::instant now);

    /** Cancels one booking (a freed seat goes to the waitlist head); `by` is recorded. */
    boost::asio::awaitable<result<cancel_result>> cancel_booking(std::string booking_id, domain::instant now,
                                                                 std::string by);

    // Founders' personal data (store/founder_data.cpp).
    /** The key that stands for a founder: their e-mail, hashed. */
    std::string founder_key_for_email(std::string_view normalised_email) const;
    /** The founder a manage token belongs to; refusal "unknown-token". */
    boost::asio::awaitable<result<std::string>> founder_of_token(std::string token);
    /** Every booking of a founder that still carries their data, by session start. */
    boost::asio::awaitable<result<std::vector<managed_booking>>> founder_bookings(std::string founder_key);
    /** Erases everything of a founder; places in coming sessions are cancelled first.
     *  The value is how many bookings were erased. */
    boost::asio::awaitable<result<int>> erase_founder(std::string founder_key, std::string by, domain::instant now);
    /** Erases up to one batch of bookings whose session ended before `cutoff`. */
    boost::asio::awaitable<result<int>> erase_expired(domain::instant cutoff, domain::instant now);

    // Admin and expert writes. `by` names who did it (an account id, or "seed" / "cli")
    // and lands in the change log, which is the audit trail. The value: true if created.
    boost::asio::awaitable<result<bool>> put_camp(domain::camp c, std::string by);
    boost::asio::awaitable<result<bool>> put_room(domain::room r, std::string by);
    boost::asio::awaitable<result<bool>> put_expert(domain::expert e, std::string by);
    /** Saves the rule and its exceptions, then re-expands its future sessions. */
    boost::asio::awaitable<result<expansion_counts>> put_rule(domain::office_hour_rule rule,
                                                              std::vector<domain::rule_exception> exceptions,
                                                              domain::instant now, std::string by);
    boost::asio::awaitable<result<expansion_counts>> put_event(domain::event e, domain::instant now, std::string by);
    /** Deletes a rule: its unbooked future sessions go, booked ones stay as 'orphaned'
     *  until their expert cancels or keeps them. Refusal "unknown-rule". */
    boost::asio::awaitable<result<expansion_counts>> delete_rule(std::string rule_id, domain::instant now,
                                                                 std::string by);
    /** Deletes a camp, room or expert that nothing uses any more. Refusals "unknown" and
     *  "in-use" (then `detail` names what still uses it: "rooms", "sessions", "rules"). */
    boost::asio::awaitable<outcome> delete_camp(std::string id, domain::instant now, std::string by);
    boost::asio::awaitable<outcome> delete_room(std::string id, domain::instant now, std::string by);
    boost::asio::awaitable<outcome> delete_expert(std::string id, domain::instant now, std::string by);
    /** Cancels an event's session (with everyone in it, told `message`) and deletes the
     *  event. Refusal "unknown". */
    boost::asio::awaitable<result<int>> delete_event(std::string id, std::string message, domain::instant now,
                                                     std::string by);
    boost::asio::awaitable<result<std::vector<domain::event>>> events();
    /** Change-log entries made by someone (those with a `by`), newest first, older than
     *  `before` (a version; "" = from the newest). */
    boost::asio::awaitable<result<std::vector<log_entry>>> audit(std::string before, std::size_t limit);
    /** Re-expands every rule for the rolling horizon (idempotent; run periodically). */
    boost::asio::awaitable<result<expansion_counts>> expand_all(domain::instant now);

    /** A field of the hub's meta hash (e.g. which seed file was applied). */
    boost::asio::awaitable<result<std::string>> meta_get(std::string field);
    boost::asio::awaitable<outcome> meta_set(std::string field, std::string value);

    /** Everyone holding a place in a session: confirmed bookings, then the waitlist in
     *  order. With founders' details: for the session's expert and admins only. */
    boost::asio::awaitable<result<std::vector<domain::booking>>> session_bookings(std::string session_id);
    /** An expert's office-hour rules with their exceptions (as stored JSON). */
    boost::asio::awaitable<result<std::vector<std::string>>> rule_specs_of(std::string expert_id);
    /** The expert a rule belongs to; refusal "unknown-rule". */
    boost::asio::awaitable<result<std::string>> rule_owner(std::string rule_id);
    /** Cancels a session and every booking in it; the value is how many bookings. */
    boost::asio::awaitable<result<int>> cancel_session(std::string session_id, std::string message, std::string by,
                                                       domain::instant now);

    /** The session a booking is in; refusal "unknown-booking". */
    boost::asio::awaitable<result<std::string>> booking_session(std::string booking_id);
    /** Records attended / no_show for a confirmed booking of `session_id`. */
    boost::asio::awaitable<outcome> set_attendance(std::string booking_id, std::string session_id, std::string status,
                                                   std::string by, domain::instant now);
    /** The expert runs `minutes` late (0 clears it); shown live. */
    boost::asio::awaitable<outcome> set_late(std::string session_id, int minutes, std::string by, domain::instant now);

    const keys& key() const { return keys_; }

private:
    boost::asio::awaitable<redis::result> eval(std::string_view script, std::vector<std::string> keys,
                                               std::vector<std::string> args);
    boost::asio::awaitable<result<expansion_counts>> upsert_sessions(const std::string& owner_id,
                                                                     std::vector<std::string> common,
                                                                     const std::vector<domain::planned_session>& plan,
                                                                     const std::string& camp_id,
                                                                     const std::string& expert_id,
                                                                     const std::string& week_zone,
                                                                     domain::instant now);
    boost::asio::awaitable<result<bool>> put_entity(std::string key, std::string index, std::string second_index,
                                                    std::string previous_index, std::string id, std::string change,
                                                    std::string by, std::vector<std::string> fields);
    /** Runs entity_delete: `index_sets` lose the id; `guards` (name, key) must be unused. */
    boost::asio::awaitable<outcome> delete_entity(std::string key, std::string id, std::string change, std::string by,
                                                  std::vector<std::string> index_sets,
                                                  std::vector<std::pair<std::string, std::string>> guards,
                                                  domain::instant now);
    boost::asio::awaitable<result<std::vector<record>>> read_hashes(std::vector<std::string> keys);
    /** Every record listed in the set `index`, read in one more round trip. */
    boost::asio::awaitable<result<std::vector<record>>> indexed_records(std::string index,
                                                                        std::string (keys::*key_of)(std::string_view) const);
    boost::asio::awaitable<result<std::vector<std::string>>> members(std::string set_key);
    /** Where a booking stands now: its session, its founder's key, and the head of that
     *  session's waitlist (what cancel and reschedule pass their script to verify). */
    struct booking_place {
        std::string session_id;
        std::string founder_key;
        std::string waitlist_head; // "" when nobody waits
    };
    boost::asio::awaitable<result<booking_place>> place_of(const std::string& booking_id);
    /** Runs founder_erase for `booking_ids` ("founder" or "retention" mode). */
    boost::asio::awaitable<result<int>> erase_bookings(std::vector<std::string> booking_ids, std::string mode,
                                                       domain::instant cutoff, std::string by, domain::instant now);
    /** The booking a manage token belongs to; refusal "unknown-token". */
    boost::asio::awaitable<result<std::string>> booking_id_for(const std::string& token);

    redis::client& redis_;
    store_settings settings_;
    keys keys_;
};

} // namespace sp::store
