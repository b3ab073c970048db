#pragma once
/**
 * The durable outbox in Redis: messages queued by the scripts that cause them
 * (redis/scripts/lib/outbox.lua), claimed by one sender at a time with a lease, settled
 * as delivered, retried later, or moved to the dead letters. Also the reminder sweep,
 * which queues reminders as sessions enter each lead time's window.
 * Thread-safety: all members from any strand.
 */
#include "redis/client.hpp"
#include "domain/zoned_time.hpp"
#include "store/outcome.hpp"
#include "store/script_runner.hpp"
#include "store/keys.hpp"

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sp::store {

struct outbox_message {
    std::string member; // as stored: "id|kind|template|ref|attempts|extra"
    std::string id;
    std::string kind;     // mail | hook
    std::string name;     // the template (mail) or event (hook), e.g. "confirmation"
    std::string ref;      // the booking id (or an invitation's token hash)
    int attempts = 0;     // deliveries tried so far
    std::string extra;    // template data: minutes late, an invitation token, ...
};

/** Parses a stored member; nullopt if it is not one. */
std::optional<outbox_message> parse_outbox_member(std::string_view member);
/** The member for the same message after one more attempt. */
std::string with_attempt(const outbox_message& m);

class outbox_store {
public:
    explicit outbox_store(script_runner& runner, std::size_t dead_letters_kept = 1000);

    /** Up to `max` due messages, each leased to the caller for `lease`. */
    boost::asio::awaitable<result<std::vector<outbox_message>>> claim(domain::instant now, std::chrono::seconds lease,
                                                                      std::size_t max);
    boost::asio::awaitable<outcome> done(const outbox_message& m);
    /** Settles claimed messages that have nowhere to go, in one step. The value: how
     *  many were still there (one settled by another instance meanwhile is not counted). */
    boost::asio::awaitable<result<std::int64_t>> drop_all(const std::vector<outbox_message>& messages);
    boost::asio::awaitable<outcome> retry(const outbox_message& m, domain::instant due);
    boost::asio::awaitable<outcome> dead(const outbox_message& m, std::string reason, domain::instant now);

    /** Messages waiting (due or not) and dead letters, for /metrics and admins. */
    boost::asio::awaitable<result<std::pair<std::int64_t, std::int64_t>>> counts();
    /** The newest dead letters: "id|kind|template|ref|attempts|reason|epoch". */
    boost::asio::awaitable<result<std::vector<std::string>>> dead_letters(std::size_t limit);

    /** Queues the reminders `minutes` ahead of sessions that entered that window since
     *  the last sweep (the first sweep only sets the cursor). The value: how many. */
    boost::asio::awaitable<result<int>> sweep_reminders(int minutes, domain::instant now);

private:
    boost::asio::awaitable<outcome> settle(const outbox_message& m, std::string how, std::string retry_member,
                                           std::string due, std::string dead_entry);

    script_runner& runner_;
    redis::client& redis_;
    keys keys_;
    std::size_t dead_kept_;
};

} // namespace sp::store
