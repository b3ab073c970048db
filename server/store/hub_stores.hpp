#pragma once
/**
 * Every store of one hub, wired to one script runner and one settings object: what the
 * application (and the admin tool) owns. Each layer takes only the stores it needs.
 * Not copyable or movable: the stores hold references to the runner and each other.
 */
#include "store/booking_store.hpp"
#include "store/catalog_store.hpp"
#include "store/change_log_store.hpp"
#include "store/founder_store.hpp"
#include "store/record_reader.hpp"
#include "store/schedule_store.hpp"
#include "store/script_runner.hpp"
#include "store/store_settings.hpp"
#include "store/walkin_store.hpp"

namespace sp::store {

struct hub_stores {
    hub_stores(redis::client& redis, store_settings s)
        : settings(std::move(s)),
          runner(redis, keys(settings.prefix), settings.webhooks),
          reader(runner),
          catalog(runner, reader, settings),
          schedule(runner, reader, settings),
          bookings(runner, reader, settings),
          founders(runner, reader, bookings, settings),
          walkins(runner, reader, settings),
          changes(runner)
    {
    }
    hub_stores(const hub_stores&) = delete;
    hub_stores& operator=(const hub_stores&) = delete;

    const keys& key() const { return runner.key(); }

    store_settings settings;
    script_runner runner;
    record_reader reader;
    catalog_store catalog;
    schedule_store schedule;
    booking_store bookings;
    founder_store founders;
    walkin_store walkins;
    change_log_store changes;
};

} // namespace sp::store
