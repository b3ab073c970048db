#pragma once
/**
 * Reads of the hub's records that every store shares: a set's members, several hashes in
 * one round trip, the records an index set lists, and sessions with their bookings.
 * Speaks domain types; the key layout is in store/keys.hpp.
 * Thread-safety: all members may be called concurrently from any strand.
 */
#include "domain/hub.hpp"
#include "store/outcome.hpp"
#include "store/reply_helpers.hpp"
#include "store/script_runner.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

namespace sp::store {

struct session_query {
    domain::instant from;
    domain::instant to;
    std::string camp_id;
    std::string expert_id;
    bool free_only = false;
    std::size_t limit = 500;
};

class record_reader {
public:
    explicit record_reader(script_runner& runner) : runner_(runner), keys_(runner.key()) {}

    /** A set's members, sorted. */
    boost::asio::awaitable<result<std::vector<std::string>>> members(std::string set_key);
    /** Each hash (empty when missing), in the order asked. */
    boost::asio::awaitable<result<std::vector<field_map>>> hashes(std::vector<std::string> keys);
    /** Every record listed in the set `index` (those deleted meanwhile left out). */
    boost::asio::awaitable<result<std::vector<field_map>>> indexed(std::string index,
                                                                   std::string (keys::*key_of)(std::string_view) const);
    /** One field of a hash; refusal `missing` when the hash or field does not exist. */
    boost::asio::awaitable<result<std::string>> field(std::string key, std::string name, refusal missing);

    // Sessions.
    boost::asio::awaitable<result<std::vector<domain::session>>> sessions(session_query q);
    /** Refusal unknown_session. */
    boost::asio::awaitable<result<domain::session>> session(std::string id);
    /** The session of every event of the hub (an event's session has the event's id;
     *  a hub has tens of events, not thousands), in no particular order. */
    boost::asio::awaitable<result<std::vector<domain::session>>> event_sessions();
    /** Sessions by id, in the order asked; missing ones are left out. */
    boost::asio::awaitable<result<std::vector<domain::session>>> sessions_by_id(std::vector<std::string> ids);
    /** Everyone holding a place in a session: confirmed bookings, then the waitlist in
     *  order. With founders' details: for the session's expert and admins only. */
    boost::asio::awaitable<result<std::vector<domain::booking>>> session_bookings(std::string session_id);

    const keys& key() const { return keys_; }

private:
    script_runner& runner_;
    const keys& keys_;
};

/** A session hash as a value. */
domain::session session_from(const field_map& m, int waiting);

} // namespace sp::store
