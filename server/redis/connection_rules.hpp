#pragma once
/**
 * The decisions of redis::connection with no I/O, so that tests can drive them directly
 * (the way Boost.Redis tests its setup request and multiplexer): which commands set a new
 * connection up, whether a setup reply lets it go on, which commands have missed their
 * deadline and when to look again, and what a health PING's outcome means. The
 * connection only performs what these say. Pure functions; thread-safe.
 */
#include "redis/redis_url.hpp"
#include "redis/reply.hpp"

#include <boost/system/error_code.hpp>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sp::redis {

/** The commands a connection sends before it counts as connected, in order: AUTH (when
 *  a password is set), SELECT (db other than 0), CLIENT SETNAME, ROLE (Sentinel only: a
 *  sentinel's answer may be stale mid-failover) and PING. */
std::vector<std::vector<std::string>> compose_setup(const endpoint& where, const std::string& client_name);

/** Whether the reply to the setup command named `command` (its first word) lets the
 *  setup go on: nullopt if so, else why the connection must be dropped. CLIENT SETNAME
 *  may be refused (ACLs; the name is a convenience), and so may ROLE (-NOPERM: then a
 *  -READONLY later is what tells a replica); a ROLE that is not "master" is refused. */
std::optional<std::string> judge_setup_reply(std::string_view command, const boost::system::error_code& ec,
                                             const reply& r);

/** What a health PING's outcome means: nullopt to keep the connection, else why to drop
 *  it. A stalled server (timeout) and an error other than -LOADING drop it; a stop
 *  (shut_down) and a lost connection (already reconnecting) do not. */
std::optional<std::string> judge_health_ping(const boost::system::error_code& ec, const reply& r);

using deadline_clock = std::chrono::steady_clock;

/** The outcome of looking at the pending commands' deadlines at `now`. */
struct deadline_sweep {
    std::vector<std::size_t> expired;                              // indexes to fail with timeout
    deadline_clock::time_point next = deadline_clock::time_point::max(); // when to look again (max: never)
};

/** `deadlines[i]` is the deadline of pending command i, nullopt once it has completed. */
deadline_sweep sweep_deadlines(std::span<const std::optional<deadline_clock::time_point>> deadlines,
                               deadline_clock::time_point now);

} // namespace sp::redis
