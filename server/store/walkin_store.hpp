#pragma once
/**
 * A camp's walk-in queue in Redis: founders join (a ticket and a secret page token),
 * leave, are offered a free seat, decline it, let it expire, or claim it (a booking
 * like any other: book.lua's mode 'claim'); an expert calls a waiting founder in
 * directly (mode 'callin'). Every change is one script (walkin_*.lua); the steps that
 * depend on what was read (leave, settle, offer) rerun when the script says 'retry'.
 * The manage token of a walk-in booking is sealed with the walk-in page's token in the
 * entry, so that page, and nothing else, can show it again.
 * Thread-safety: all members may be called concurrently from any strand.
 */
#include "domain/hub.hpp"
#include "domain/walkin_rules.hpp"
#include "store/outcome.hpp"
#include "store/record_reader.hpp"
#include "store/store_settings.hpp"

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct walkin_entry {
    std::string id, camp_id;
    int ticket = 0;
    std::string name, email, topic, lang;
    std::string state; // waiting | offered | booked | expired | left
    domain::instant joined_at;
    std::string offer_session; // while offered
    domain::instant offer_until{};
    std::vector<std::string> declined; // sessions the founder declined
    std::string booking_id, booked_session; // once booked
    std::string sealed_manage;             // the manage token, sealed with the page's token
    std::string token_hash, manage_hash, founder_key;
    int position = 0; // 1-based among the queue's entries (read on request; 0 = not in it)
};

struct walkin_join_request {
    std::string camp_id, name;
    std::string email; // normalised; "" = none
    std::string topic, lang;
};

struct walkin_joined {
    std::string id, token;
    int ticket = 0, position = 0;
};

/** A founder's page: the entry, and the session of their open offer. */
struct walkin_page {
    walkin_entry entry;
    std::optional<domain::session> offered; // while offered
};

struct walkin_booked {
    std::string booking_id, manage_token, session_id, version;
};

class walkin_store {
public:
    walkin_store(script_runner& runner, record_reader& reader, const store_settings& settings)
        : runner_(runner), reader_(reader), settings_(settings), keys_(runner.key())
    {
    }

    /** Refusals unknown_camp, queue_full. */
    boost::asio::awaitable<result<walkin_joined>> join(walkin_join_request req, domain::instant now);
    /** Refusal unknown_walkin. */
    boost::asio::awaitable<result<walkin_page>> page_by_token(std::string token);
    boost::asio::awaitable<result<walkin_entry>> entry_by_id(std::string id);
    /** The entry behind a page token; refusal unknown_walkin. */
    boost::asio::awaitable<result<std::string>> entry_id_for(std::string token);
    /** Leaves the queue (an open offer is withdrawn); `by` is "founder" or an admin's id. */
    boost::asio::awaitable<outcome> leave(std::string entry_id, std::string by, domain::instant now);
    /** Refusals no_offer, offer_expired. */
    boost::asio::awaitable<outcome> decline(std::string entry_id, domain::instant now);
    /** The founder takes their offer; refusals offer_expired, no_offer, already_claimed, full. */
    boost::asio::awaitable<result<walkin_booked>> claim(std::string token, domain::instant now);
    /** The session's expert calls a waiting founder in; refusals not_waiting, full, ... */
    boost::asio::awaitable<result<walkin_booked>> call_in(std::string session_id, std::string entry_id,
                                                          std::string expert_id, domain::instant now);
    /** Offers `session_id`'s seat to `entry_id`, having passed over `passed_over` (see
     *  walkin_offer.lua); refusal retry when the queue moved. The value is the ticket. */
    boost::asio::awaitable<result<int>> offer(std::string session_id, std::string camp_id, std::string entry_id,
                                              std::vector<std::string> passed_over, domain::instant now,
                                              domain::instant until);
    /** Expires every offer whose deadline has passed; the value is how many. */
    boost::asio::awaitable<result<int>> expire_due(domain::instant now);
    /** The camp's queue, in order (waiting and offered entries). */
    boost::asio::awaitable<result<std::vector<walkin_entry>>> queue(std::string camp_id);
    boost::asio::awaitable<result<domain::walkin_summary>> summary(std::string camp_id);
    /** Erases every walk-in entry made with a founder's e-mail; the value is how many. */
    boost::asio::awaitable<result<int>> erase_founder(std::string founder_key, std::string by, domain::instant now);
    /** Erases up to one batch of entries that joined before `cutoff`. */
    boost::asio::awaitable<result<int>> erase_expired(domain::instant cutoff, domain::instant now);

private:
    /** `manage_token`: for the confirmation mail's link ("" when unknown: a call-in). */
    boost::asio::awaitable<result<walkin_booked>> book(std::string mode, walkin_entry e, std::string session_id,
                                                       std::string manage_token, std::string expert_id,
                                                       domain::instant now);
    boost::asio::awaitable<outcome> settle(std::string entry_id, bool expire, domain::instant now);
    boost::asio::awaitable<result<int>> erase(std::vector<std::string> ids, std::string reason, std::string by,
                                              domain::instant now);

    script_runner& runner_;
    record_reader& reader_;
    const store_settings& settings_;
    const keys& keys_;
};

/** A walk-in entry hash as a value (position not set). */
walkin_entry walkin_from(const field_map& m);

} // namespace sp::store
