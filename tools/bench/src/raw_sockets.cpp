#include "raw_sockets.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

namespace sp::bench {

void fail_errno(std::string_view what)
{
    int error = errno;
    throw std::runtime_error(std::string(what) + ": " + std::strerror(error));
}

void unique_fd::reset(int fd)
{
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

double cpu_seconds(clockid_t clock)
{
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

unique_fd loopback_listener(sockaddr_in& addr, int flags)
{
    unique_fd listener(::socket(AF_INET, SOCK_STREAM | flags, 0));
    check_errno(listener.get() >= 0, "socket");
    addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    check_errno(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0, "bind");
    check_errno(::listen(listener.get(), 4096) == 0, "listen");
    socklen_t len = sizeof addr;
    check_errno(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0, "getsockname");
    return listener;
}

} // namespace sp::bench
