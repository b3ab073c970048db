#pragma once
/**
 * What the kernel floors (send_floor, reconnect_floor) share: bare loopback sockets and
 * CPU clocks, with no Asio in between, so that what they measure is the kernel's part.
 */
#include <netinet/in.h>
#include <string_view>
#include <time.h>

namespace sp::bench {

/** Throws std::runtime_error "`what`: strerror(errno)" unless `ok` (the message is built
 *  only then, so a check costs nothing in a measured loop). */
[[noreturn]] void fail_errno(std::string_view what);
inline void check_errno(bool ok, std::string_view what)
{
    if (!ok) fail_errno(what);
}

/** A descriptor closed when it goes out of scope. */
class unique_fd {
public:
    explicit unique_fd(int fd = -1) : fd_(fd) {}
    unique_fd(unique_fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    unique_fd& operator=(unique_fd&& o) noexcept
    {
        if (this != &o) reset(o.release());
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }
    int get() const { return fd_; }
    int release()
    {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1);

private:
    int fd_;
};

/** The CPU seconds a clock (CLOCK_THREAD_CPUTIME_ID, or another process's) has counted. */
double cpu_seconds(clockid_t clock);

/** A listening TCP socket on 127.0.0.1 and a free port (backlog 4096); `flags` go to
 *  socket() (e.g. SOCK_NONBLOCK). `addr` is where it listens. */
unique_fd loopback_listener(sockaddr_in& addr, int flags = 0);

} // namespace sp::bench
