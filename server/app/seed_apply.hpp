#pragma once
/**
 * Writes a parsed hub file (app/seed_file.hpp) through the stores. Idempotent: every
 * entry has a fixed id, so applying the same file twice changes nothing.
 */
#include "app/seed_file.hpp"
#include "store/catalog_store.hpp"
#include "store/schedule_store.hpp"

#include <boost/asio/awaitable.hpp>

namespace sp::app {

struct seed_counts {
    std::size_t camps = 0, rooms = 0, experts = 0, rules = 0, events = 0, sessions_created = 0;
};

/** Throws seed_error when a store refuses or Redis is unavailable. */
boost::asio::awaitable<seed_counts> apply_seed(store::catalog_store& catalog, store::schedule_store& schedule,
                                               const hub_seed& seed, domain::instant now);

} // namespace sp::app
