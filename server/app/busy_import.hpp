#pragma once
/**
 * Imports the busy times of experts' own calendars: every `refresh` it fetches each
 * connected calendar (libcurl on a worker thread of its own, never an io thread), reads
 * its busy intervals inside the booking horizon (no titles, places or attendees) and
 * replaces that calendar's busy times in one script; a failed fetch keeps the last good
 * busy times and records its error in plain words. A lease per expert (SET NX for one
 * interval) makes one instance of several fetch each calendar once per interval, and a
 * second one (`busy:fetching`) lets only one fetch of an expert's calendars run at a time,
 * across instances and "refresh now". A good import re-marks the expert's sessions busy
 * or free in the same script (store/busy_store.hpp). The
 * address is a secret: no log line here contains it. Runs on the io_context.
 */
#include "redis/readiness_guard.hpp"
#include "store/busy_store.hpp"
#include "store/hub_stores.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <string>

namespace sp::app {

struct busy_import_settings {
    std::chrono::minutes refresh{15};
    std::chrono::seconds timeout{20};
    std::size_t max_bytes = 5 * 1024 * 1024;
    std::size_t max_instances = 5000;
    bool allow_private_addresses = false;
};

class busy_import {
public:
    busy_import(store::hub_stores& store, store::busy_store& busy, const redis::readiness_guard& guard,
                busy_import_settings settings);
    ~busy_import();

    /** Imports every interval until stopped. */
    boost::asio::awaitable<void> run();
    /** One round over every expert whose lease this instance gets. */
    boost::asio::awaitable<void> round();
    /** "Refresh now": fetches the expert's calendars at once, waiting (up to a few fetch
     *  timeouts) for a fetch of them that is running elsewhere to end first. */
    boost::asio::awaitable<void> import_now(std::string expert_id);

private:
    /** Fetches the expert's calendars if no other fetch of them runs; false if one does. */
    boost::asio::awaitable<bool> import_expert(const std::string& expert_id);
    boost::asio::awaitable<void> fetch_all(const std::string& expert_id, const std::vector<store::busy_calendar>& calendars);

    store::hub_stores& store_;
    store::busy_store& busy_;
    const redis::readiness_guard& guard_;
    busy_import_settings settings_;
    std::string instance_;
    boost::asio::thread_pool pool_{1};
};

} // namespace sp::app
