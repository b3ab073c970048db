#pragma once
/**
 * An expert's own calendars: the private iCalendar addresses they connected (secrets:
 * never logged, only shown masked) and the busy times imported from each. Every change
 * is one script (store/scripts/busy_scripts.hpp). Thread-safety: all members from any strand.
 */
#include "domain/zoned_time.hpp"
#include "redis/client.hpp"
#include "store/keys.hpp"
#include "store/outcome.hpp"
#include "store/script_runner.hpp"

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

/** One connected calendar and how its last fetch went. `url` is the secret: only the
 *  importer reads it; answers to users carry a masked form. */
struct busy_calendar {
    std::string id;
    std::string url;
    std::optional<domain::instant> added_at, fetched_at, ok_at; // last fetch, last good import
    std::string error;                                        // of the last fetch, in plain English; "" = fine
    std::string error_code; // the same as a code (calendar/feed_problem.hpp); "" = fine, or recorded before codes
    std::int64_t busy_count = 0;                              // busy times of the last good import
    std::string etag, last_modified;
};

struct busy_span {
    domain::instant start, end;
};

/** What the importer reports for one fetch. */
struct busy_fetch {
    std::string what; // fetched | not-modified | failed
    std::string error, error_code;
    std::vector<busy_span> busy;
    std::string etag, last_modified;
};

class busy_store {
public:
    busy_store(script_runner& runner, std::int64_t change_log_max);

    /** Connects `url` (already checked and normalised); refusals unknown_record (no such
     *  expert), too_many_calendars, calendar_exists. The value is the new calendar's id. */
    boost::asio::awaitable<result<std::string>> add(std::string expert_id, std::string url, std::int64_t max_calendars,
                                                    domain::instant now);
    /** Refusal unknown_calendar. The expert's sessions are marked busy or free again
     *  against the calendars that remain. */
    boost::asio::awaitable<outcome> remove(std::string expert_id, std::string calendar_id, domain::instant now);
    /** The expert's calendars, oldest first. */
    boost::asio::awaitable<result<std::vector<busy_calendar>>> calendars(std::string expert_id);
    /** Experts with at least one calendar. */
    boost::asio::awaitable<result<std::vector<std::string>>> experts();
    /** Every busy time of the expert, over all calendars (unsorted, may overlap). */
    boost::asio::awaitable<result<std::vector<busy_span>>> busy_times(std::string expert_id);
    /** Records a fetch and marks the expert's future sessions busy or free again; the
     *  value says whether the busy times changed. A booked session that became busy
     *  queues one e-mail to the expert (a new conflict). */
    boost::asio::awaitable<result<bool>> record(std::string expert_id, const busy_calendar& c, busy_fetch f,
                                                domain::instant now);
    /** At most one instance fetches an expert's calendars at a time: true when this one
     *  holds the lease `owner` for `ttl` now. */
    boost::asio::awaitable<result<bool>> lease(std::string expert_id, std::string owner, std::chrono::seconds ttl);
    /** At most one fetch of an expert's calendars runs at a time, across instances and
     *  "refresh now": true when this one may fetch now (for at most `ttl`). */
    boost::asio::awaitable<result<bool>> begin_fetch(std::string expert_id, std::string owner, std::chrono::seconds ttl);
    boost::asio::awaitable<void> end_fetch(std::string expert_id);

    static std::string encode(const std::vector<busy_span>& busy);
    static std::vector<busy_span> decode(std::string_view text);

private:
    /** The expert's sessions that have not started, as the scripts verify them. */
    boost::asio::awaitable<result<std::vector<std::string>>> future_sessions(const std::string& expert_id,
                                                                            domain::instant now);

    script_runner& runner_;
    redis::client& redis_;
    keys keys_;
    std::int64_t change_log_max_;
};

} // namespace sp::store
