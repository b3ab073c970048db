#pragma once
/**
 * Delivers the outbox: every poll it claims due messages (leased, so exactly one
 * instance works on each), renders them from the current data (a booking erased
 * meanwhile is not mailed; a reminder of a cancelled booking is dropped), and hands
 * the blocking SMTP or HTTP call to its worker pool. Failures are retried with
 * exponential backoff and jitter; after the last attempt, or a permanent refusal, the
 * message goes to the dead letters. Also runs the reminder sweep.
 */
#include "redis/readiness_guard.hpp"
#include "notify/delivery.hpp"
#include "store/account_store.hpp"
#include "store/hub_stores.hpp"
#include "store/outbox_store.hpp"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <vector>

namespace sp::notify {

struct sender_settings {
    smtp_settings smtp;              // smtp.url "" = no mail server: mail is logged and dropped
    std::string from_header;         // "Name <address>"
    std::string webhook_url;         // "" = no webhooks
    std::string webhook_secret;
    std::string public_url;          // links in messages
    int max_attempts = 10;
    std::chrono::seconds retry_base{5};
    std::chrono::seconds retry_max{3600};
    std::vector<int> reminder_minutes{1440, 60};
    std::chrono::milliseconds poll{500};
    std::chrono::seconds lease{120};
    std::size_t threads = 2;
};

struct sender_metrics {
    std::atomic<std::uint64_t> sent{0};
    std::atomic<std::uint64_t> retried{0};
    std::atomic<std::uint64_t> dead{0};
    std::atomic<std::uint64_t> dropped{0};
    // The outbox itself, as the sender last read it (every few seconds): /metrics shows
    // these without asking Redis, so a scrape never waits for it. -1: not read yet.
    std::atomic<std::int64_t> waiting{-1};
    std::atomic<std::int64_t> dead_letters{-1};
};

class outbox_sender {
public:
    outbox_sender(store::outbox_store& outbox, store::hub_stores& hub, store::account_store& accounts,
                  const redis::readiness_guard& guard, sender_settings settings);
    ~outbox_sender();

    /** Runs until the io_context stops. */
    boost::asio::awaitable<void> run();
    /** Finishes deliveries in flight (the pool); call after the io_context stopped. */
    void join();

    sender_metrics& metrics() { return metrics_; }

private:
    /** Whether `m` has somewhere to go (a mail server for mail, a URL for webhooks). */
    bool deliverable(const store::outbox_message& m) const;
    /** Settles claimed messages with nowhere to go in one step, without reading or
     *  rendering anything, and logs them in one line. */
    boost::asio::awaitable<void> drop(const std::vector<store::outbox_message>& messages);
    boost::asio::awaitable<void> deliver(store::outbox_message m);
    boost::asio::awaitable<void> settle(const store::outbox_message& m, const delivery_result& r);

    store::outbox_store& outbox_;
    store::hub_stores& hub_;
    store::account_store& accounts_;
    const redis::readiness_guard& guard_;
    sender_settings settings_;
    boost::asio::thread_pool pool_;
    sender_metrics metrics_;
};

/** "1440 60" -> {1440, 60}; nullopt if anything else is in it. */
std::optional<std::vector<int>> parse_minutes_list(std::string_view text);

} // namespace sp::notify
