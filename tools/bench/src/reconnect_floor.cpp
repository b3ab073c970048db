#include "reconnect_floor.hpp"

#include "raw_sockets.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cstdio>
#include <fcntl.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace sp::bench {
namespace {

void check(bool ok, const char* what) { check_errno(ok, std::string("reconnect floor: ") + what); }

double cpu_s(clockid_t clock) { return cpu_seconds(clock); }

/** Bytes received on a connection, and how far its exchange is. */
struct progress {
    int phase = 0;
    int got = 0;
};

progress& at(std::vector<progress>& table, int fd)
{
    if (static_cast<std::size_t>(fd) >= table.size()) table.resize(static_cast<std::size_t>(fd) * 2 + 64);
    return table[static_cast<std::size_t>(fd)];
}

void send_all(int fd, const std::string& bytes)
{
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t r = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        check(r > 0, "send"); // a few hundred bytes on a fresh loopback connection always fit
        sent += static_cast<std::size_t>(r);
    }
}

/** The server's side: accepts, answers the request and then the subscribe, closes on the
 *  peer's reset. Sockets edge-triggered with one registration each, as Asio does. */
void serve(int listener, int stop_pipe, const reconnect_floor_options& o)
{
    int ep = ::epoll_create1(0);
    check(ep >= 0, "epoll_create1");
    epoll_event lev{};
    lev.events = EPOLLIN;
    lev.data.fd = listener;
    check(::epoll_ctl(ep, EPOLL_CTL_ADD, listener, &lev) == 0, "epoll_ctl listener");
    epoll_event sev{};
    sev.events = EPOLLIN;
    sev.data.fd = stop_pipe;
    check(::epoll_ctl(ep, EPOLL_CTL_ADD, stop_pipe, &sev) == 0, "epoll_ctl pipe");
    bool stop = false;
    const std::string response(static_cast<std::size_t>(o.response), 'r');
    const std::string reply(static_cast<std::size_t>(o.reply), 'p');
    std::vector<progress> table;
    std::vector<epoll_event> events(256);
    char buf[4096];
    while (!stop) {
        int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), -1);
        for (int i = 0; i < n; ++i) {
            int fd = events[static_cast<std::size_t>(i)].data.fd;
            if (fd == stop_pipe) {
                stop = true; // the measuring process closed its end
                continue;
            }
            if (fd == listener) {
                for (;;) {
                    int c = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (c < 0) break;
                    int one = 1;
                    ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    at(table, c) = {};
                    epoll_event ev{};
                    ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
                    ev.data.fd = c;
                    check(::epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) == 0, "epoll_ctl");
                }
                continue;
            }
            if (!(events[static_cast<std::size_t>(i)].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) continue;
            ssize_t r = ::recv(fd, buf, sizeof buf, 0);
            if (r == 0 || (r < 0 && errno != EAGAIN)) {
                ::close(fd); // the client's reset: the storm's drop
                continue;
            }
            if (r < 0) continue;
            auto& p = at(table, fd);
            p.got += static_cast<int>(r);
            if (p.phase == 0 && p.got >= o.request) {
                send_all(fd, response);
                p.phase = 1;
                p.got -= o.request;
            }
            if (p.phase == 1 && p.got >= o.subscribe) {
                send_all(fd, reply);
                p.phase = 2;
            }
        }
    }
    ::close(ep);
}

/** Each end holds every connection, and the dropped ones until they are closed. */
void ensure_descriptors(const reconnect_floor_options& o)
{
    rlim_t need = static_cast<rlim_t>(o.sockets + 2 * o.in_flight + 256);
    rlimit r{};
    check(::getrlimit(RLIMIT_NOFILE, &r) == 0, "getrlimit");
    if (r.rlim_cur >= need) return;
    r.rlim_cur = need;
    r.rlim_max = std::max(r.rlim_max, need);
    if (::setrlimit(RLIMIT_NOFILE, &r) != 0)
        throw std::runtime_error("reconnect floor: needs " + std::to_string(need) +
                                 " file descriptors (--sockets " + std::to_string(o.sockets) + "): " +
                                 std::strerror(errno));
}

} // namespace

void run_reconnect_floor(const reconnect_floor_options& o, json_out& out)
{
    ensure_descriptors(o);
    sockaddr_in addr{};
    int listener = loopback_listener(addr, SOCK_NONBLOCK);

    // The server's side is a process of its own, as a server is: the client's and the
    // server's descriptors then fit the per-process limit, and switching between them costs
    // what switching between a client and a server costs.
    int pipe_fds[2];
    check(::pipe2(pipe_fds, O_CLOEXEC) == 0, "pipe2");
    pid_t child = ::fork();
    check(child >= 0, "fork");
    if (child == 0) {
        ::close(pipe_fds[1]);
        int status = 0;
        try {
            serve(listener, pipe_fds[0], o);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "sprechstunde-bench: %s\n", e.what());
            status = 2;
        }
        ::_exit(status);
    }
    ::close(pipe_fds[0]);
    clockid_t server_clock{};
    check(::clock_getcpuclockid(child, &server_clock) == 0, "clock_getcpuclockid");
    clockid_t client_clock = CLOCK_THREAD_CPUTIME_ID;
    auto stop_server = [&] {
        ::close(pipe_fds[1]);
        int status = 0;
        ::waitpid(child, &status, 0);
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    };

    int ep = ::epoll_create1(0);
    check(ep >= 0, "epoll_create1");
    const std::string request(static_cast<std::size_t>(o.request), 'q');
    const std::string subscribe(static_cast<std::size_t>(o.subscribe), 's');
    std::vector<progress> table;
    std::vector<int> open;
    std::vector<epoll_event> events(256);
    char buf[4096];

    // One round: every socket opened, through the exchange, and left open.
    auto bring_back = [&] {
        int next = 0, in_flight = 0, back = 0;
        while (back < o.sockets) {
            while (in_flight < o.in_flight && next < o.sockets) {
                int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
                check(c >= 0, "socket");
                int one = 1;
                ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                int r = ::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
                check(r == 0 || errno == EINPROGRESS, "connect");
                at(table, c) = {};
                epoll_event ev{};
                ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
                ev.data.fd = c;
                check(::epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) == 0, "epoll_ctl");
                open.push_back(c);
                ++next;
                ++in_flight;
            }
            int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 5000);
            check(n > 0, "epoll_wait (no progress for 5 s)");
            for (int i = 0; i < n; ++i) {
                const auto& ev = events[static_cast<std::size_t>(i)];
                int fd = ev.data.fd;
                auto& p = at(table, fd);
                if (ev.events & (EPOLLERR | EPOLLHUP)) throw std::runtime_error("reconnect floor: a connection failed");
                if (p.phase == 0 && (ev.events & EPOLLOUT)) {
                    send_all(fd, request);
                    p.phase = 1;
                }
                if (!(ev.events & EPOLLIN)) continue;
                ssize_t r = ::recv(fd, buf, sizeof buf, 0);
                if (r <= 0) continue;
                p.got += static_cast<int>(r);
                if (p.phase == 1 && p.got >= o.response) {
                    send_all(fd, subscribe);
                    p.phase = 2;
                    p.got -= o.response;
                }
                if (p.phase == 2 && p.got >= o.reply) {
                    p.phase = 3;
                    --in_flight;
                    ++back;
                }
            }
        }
    };
    auto drop_all = [&] {
        for (int fd : open) {
            linger l{1, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
            ::close(fd);
        }
        open.clear();
    };

    std::vector<double> wall_ms, server_us, client_us;
    try {
    bring_back(); // the sockets the first storm drops
    for (int round = 0; round < o.rounds; ++round) {
        double s0 = cpu_s(server_clock), c0 = cpu_s(client_clock);
        auto t0 = clock::now();
        drop_all();
        bring_back();
        auto t1 = clock::now();
        // The server may still be closing the last of the dropped sockets: let it finish
        // before reading its clock (it has nothing else to do).
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        double s1 = cpu_s(server_clock), c1 = cpu_s(client_clock);
        wall_ms.push_back(static_cast<double>(micros(t1 - t0)) / 1000.0);
        server_us.push_back((s1 - s0) * 1e6 / o.sockets);
        client_us.push_back((c1 - c0) * 1e6 / o.sockets);
    }
    } catch (...) {
        drop_all();
        stop_server();
        throw;
    }
    drop_all();
    if (!stop_server()) throw std::runtime_error("reconnect floor: the server's side failed");
    ::close(ep);
    ::close(listener);

    out.begin_object();
    out.key("sockets").value(o.sockets).key("rounds").value(o.rounds).key("in_flight").value(o.in_flight);
    out.key("bytes").begin_object();
    out.key("request").value(o.request).key("response").value(o.response);
    out.key("subscribe").value(o.subscribe).key("reply").value(o.reply);
    out.end_object();
    // Each round's figure, and their median.
    auto write = [&out](const char* name, std::vector<double> v) {
        out.key(name).begin_array();
        for (double x : v)
            out.value(x);
        out.end_array();
        std::sort(v.begin(), v.end());
        out.key((std::string(name) + "_median").c_str()).value(v.empty() ? 0.0 : v[v.size() / 2]);
    };
    write("server_cpu_us_per_reconnect", server_us);
    write("client_cpu_us_per_reconnect", client_us);
    write("all_back_ms", wall_ms);
    out.end_object();
}

} // namespace sp::bench
