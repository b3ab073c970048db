#pragma once
/**
 * Stops clients that guess secret links. Every route that looks a secret token up
 * (manage links, calendar feeds, invitations) is wrapped: an address with too many
 * misses (404) in the window gets 429 with Retry-After before anything is looked up,
 * so a hit cannot be told from a miss any more; every 404 it gets counts one miss.
 * Other addresses are not affected, and a Redis that does not answer blocks nobody
 * (the lookup itself then answers 503).
 */
#include "http/router.hpp"
#include "store/guess_store.hpp"

#include <chrono>

namespace sp::api {

struct token_guard_settings {
    int misses_per_address = 100;
    std::chrono::seconds window{900};
};

class token_guard {
public:
    token_guard(store::guess_store& store, token_guard_settings settings) : store_(store), settings_(settings) {}

    /** `inner` behind the guard. The guard must outlive the handler. */
    http::handler wrap(http::handler inner);

private:
    store::guess_store& store_;
    token_guard_settings settings_;
};

} // namespace sp::api
