#pragma once
/**
 * Wires the server together from a config: the embedded Redis (when no Redis is
 * configured), the Redis client and its guard, the routes, the HTTP server and the io
 * threads; then runs until SIGTERM/SIGINT and stops in order: stop accepting, let
 * requests in flight finish (bounded by http.shutdown_grace_ms), close Redis, stop
 * the embedded Redis. run() blocks the calling (main) thread, never an io thread.
 */
#include "config/config.hpp"

namespace sp::app {

/** Runs the server; returns the process exit code. Throws std::runtime_error with a
 *  message naming the option when start-up fails. */
int run(const config::config& cfg);

} // namespace sp::app
