#pragma once
/**
 * The hub's catalog in Redis: camps, rooms, experts and the event records, and the hub's
 * meta hash. Every write is one script with its change-log entry (the audit trail: `by`
 * names who did it, an account id or "seed" / "cli"). Office-hour rules and the sessions
 * of rules and events are the schedule's (store/schedule_store.hpp).
 * Thread-safety: all members may be called concurrently from any strand.
 */
#include "domain/hub.hpp"
#include "store/outcome.hpp"
#include "store/record_reader.hpp"
#include "store/store_settings.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

namespace sp::store {

class catalog_store {
public:
    catalog_store(script_runner& runner, record_reader& reader, const store_settings& settings)
        : runner_(runner), reader_(reader), settings_(settings), keys_(runner.key())
    {
    }

    boost::asio::awaitable<result<std::vector<domain::camp>>> camps();
    boost::asio::awaitable<result<std::vector<domain::room>>> rooms();
    boost::asio::awaitable<result<std::vector<domain::expert>>> experts();
    /** The event records, by start. */
    boost::asio::awaitable<result<std::vector<domain::event>>> events();
    /** One event record; refusal unknown_record when there is none. */
    boost::asio::awaitable<result<domain::event>> event(std::string id);

    /** The value: true if created. */
    boost::asio::awaitable<result<bool>> put_camp(domain::camp c, std::string by);
    boost::asio::awaitable<result<bool>> put_room(domain::room r, std::string by);
    boost::asio::awaitable<result<bool>> put_expert(domain::expert e, std::string by);

    /** Deletes a camp, room or expert that nothing uses any more. Refusals unknown_record
     *  and in_use (then `detail` names what still uses it: "rooms", "sessions", "rules",
     *  "experts", "events"). */
    boost::asio::awaitable<outcome> delete_camp(std::string id, domain::instant now, std::string by);
    boost::asio::awaitable<outcome> delete_room(std::string id, domain::instant now, std::string by);
    boost::asio::awaitable<outcome> delete_expert(std::string id, domain::instant now, std::string by);

    /** An expert's photo: bytes already checked (domain::photo_content_type) and within
     *  the size limit. Refusal unknown_record when there is no such expert. */
    boost::asio::awaitable<outcome> put_expert_photo(std::string expert_id, std::string content_type, std::string bytes,
                                                     domain::instant now, std::string by);
    boost::asio::awaitable<outcome> delete_expert_photo(std::string expert_id, domain::instant now, std::string by);
    struct photo {
        std::string content_type, bytes, etag;
    };
    /** Refusal unknown_record when the expert has no photo. */
    boost::asio::awaitable<result<photo>> expert_photo(std::string expert_id);

    /** A field of the hub's meta hash (e.g. which seed file was applied); "" when unset. */
    boost::asio::awaitable<result<std::string>> meta_get(std::string field);
    boost::asio::awaitable<outcome> meta_set(std::string field, std::string value);

private:
    boost::asio::awaitable<result<bool>> put(std::string key, std::string index, std::string second_index,
                                             std::string previous_index, std::string id, std::string change,
                                             std::string by, std::vector<std::string> fields);
    boost::asio::awaitable<outcome> remove(std::string key, std::string id, std::string change, std::string by,
                                           std::vector<std::string> index_sets,
                                           std::vector<std::pair<std::string, std::string>> guards, domain::instant now,
                                           std::vector<std::string> owned = {});

    script_runner& runner_;
    record_reader& reader_;
    const store_settings& settings_;
    const keys& keys_;
};

} // namespace sp::store
