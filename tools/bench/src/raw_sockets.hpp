#pragma once
/**
 * What the kernel floors (send_floor, reconnect_floor) share: bare loopback sockets and
 * CPU clocks, with no Asio in between, so that what they measure is the kernel's part.
 */
#include <netinet/in.h>
#include <string_view>
#include <time.h>

namespace sp::bench {

/** Throws std::runtime_error "`what`: strerror(errno)" unless `ok`. */
void check_errno(bool ok, std::string_view what);

/** The CPU seconds a clock (CLOCK_THREAD_CPUTIME_ID, or another process's) has counted. */
double cpu_seconds(clockid_t clock);

/** A listening TCP socket on 127.0.0.1 and a free port (backlog 4096); `flags` go to
 *  socket() (e.g. SOCK_NONBLOCK). `addr` is where it listens. */
int loopback_listener(sockaddr_in& addr, int flags = 0);

} // namespace sp::bench
