#include "reconnect_floor.hpp"

#include "raw_sockets.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
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

constexpr int k_max_message = 64 * 1024; // far below a loopback socket's buffer

void check(bool ok, const char* what)
{
    if (!ok) fail_errno(std::string("reconnect floor: ") + what);
}

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
        check(r > 0, "send"); // at most 64 KiB on a fresh loopback connection: it fits
        sent += static_cast<std::size_t>(r);
    }
}

/** Reads what `fd` has. Edge-triggered, so until a read comes back short: the kernel had
 *  no more then, and what arrives later is a new edge (Asio reasons the same way, so no
 *  read that finds nothing is made). Returns the bytes read; `closed` when the peer
 *  closed or reset the connection. */
int drain(int fd, bool& closed)
{
    char buf[4096];
    int total = 0;
    for (;;) {
        ssize_t r = ::recv(fd, buf, sizeof buf, 0);
        if (r > 0) {
            total += static_cast<int>(r);
            if (static_cast<std::size_t>(r) == sizeof buf) continue;
            return total;
        }
        closed = r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
        return total;
    }
}

/** The server's side: accepts, answers the request and then the subscribe, closes on the
 *  peer's reset. Sockets edge-triggered with one registration each, as Asio does. */
void serve(int listener, int stop_pipe, const reconnect_floor_options& o)
{
    unique_fd ep(::epoll_create1(0));
    check(ep.get() >= 0, "epoll_create1");
    for (int fd : {listener, stop_pipe}) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        check(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd, &ev) == 0, "epoll_ctl");
    }
    const std::string response(static_cast<std::size_t>(o.response), 'r');
    const std::string reply(static_cast<std::size_t>(o.reply), 'p');
    std::vector<progress> table;
    std::vector<epoll_event> events(256);
    for (bool stop = false; !stop;) {
        int n = ::epoll_wait(ep.get(), events.data(), static_cast<int>(events.size()), -1);
        if (n < 0 && errno == EINTR) continue;
        check(n >= 0, "epoll_wait");
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
                    check(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, c, &ev) == 0, "epoll_ctl");
                }
                continue;
            }
            if (!(events[static_cast<std::size_t>(i)].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) continue;
            bool closed = false;
            auto& p = at(table, fd);
            p.got += drain(fd, closed);
            if (closed) {
                ::close(fd); // the client's reset: the storm's drop
                continue;
            }
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
}

void validate(const reconnect_floor_options& o)
{
    if (o.sockets < 1 || o.rounds < 1 || o.in_flight < 1)
        throw std::invalid_argument("reconnect floor: --sockets, --rounds and --in-flight must be at least 1");
    for (int size : {o.request, o.response, o.subscribe, o.reply})
        if (size < 1 || size > k_max_message)
            throw std::invalid_argument("reconnect floor: message sizes must be 1 to " +
                                        std::to_string(k_max_message) + " bytes");
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
        fail_errno("reconnect floor: needs " + std::to_string(need) + " file descriptors (--sockets " +
                   std::to_string(o.sockets) + ")");
}

/** The server's side in a process of its own, as a server is: the client's and the
 *  server's descriptors then each fit the per-process limit, and switching between them
 *  costs what switching between a client and a server costs. Stopped (and reaped) when
 *  this object goes, whatever happened meanwhile. */
class server_process {
public:
    server_process(int listener, const reconnect_floor_options& o)
    {
        int fds[2];
        check(::pipe2(fds, O_CLOEXEC) == 0, "pipe2");
        unique_fd read_end(fds[0]);
        stop_.reset(fds[1]);
        // This process has one thread here, and the child only runs serve() and _exit().
        pid_ = ::fork();
        check(pid_ >= 0, "fork");
        if (pid_ == 0) {
            stop_.reset();
            int status = 0;
            try {
                serve(listener, read_end.get(), o);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "sprechstunde-bench: %s\n", e.what());
                status = 2;
            }
            ::_exit(status);
        }
    }
    server_process(const server_process&) = delete;
    server_process& operator=(const server_process&) = delete;
    ~server_process() { stop(); }

    pid_t pid() const { return pid_; }
    /** Closes the pipe (the child's signal to end) and waits for it; true if it ended well. */
    bool stop()
    {
        if (pid_ <= 0) return ok_;
        stop_.reset();
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = 0;
        ok_ = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        return ok_;
    }

private:
    unique_fd stop_;
    pid_t pid_ = 0;
    bool ok_ = false;
};

} // namespace

void run_reconnect_floor(const reconnect_floor_options& o, json_out& out)
{
    validate(o);
    ensure_descriptors(o);
    sockaddr_in addr{};
    unique_fd listener = loopback_listener(addr, SOCK_NONBLOCK);
    server_process server(listener.get(), o);
    clockid_t server_clock{};
    check(::clock_getcpuclockid(server.pid(), &server_clock) == 0, "clock_getcpuclockid");

    unique_fd ep(::epoll_create1(0));
    check(ep.get() >= 0, "epoll_create1");
    const std::string request(static_cast<std::size_t>(o.request), 'q');
    const std::string subscribe(static_cast<std::size_t>(o.subscribe), 's');
    std::vector<progress> table;
    std::vector<int> open;
    std::vector<epoll_event> events(256);
    struct close_all { // whatever is open when this function leaves, normally or not
        std::vector<int>& fds;
        ~close_all()
        {
            for (int fd : fds)
                ::close(fd);
        }
    } closer{open};

    // One round: every socket opened, through the exchange, and left open.
    auto bring_back = [&] {
        int next = 0, in_flight = 0, back = 0;
        while (back < o.sockets) {
            while (in_flight < o.in_flight && next < o.sockets) {
                int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
                check(c >= 0, "socket");
                open.push_back(c);
                int one = 1;
                ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                int r = ::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
                check(r == 0 || errno == EINPROGRESS, "connect");
                at(table, c) = {};
                epoll_event ev{};
                ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
                ev.data.fd = c;
                check(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, c, &ev) == 0, "epoll_ctl");
                ++next;
                ++in_flight;
            }
            int n = ::epoll_wait(ep.get(), events.data(), static_cast<int>(events.size()), 5000);
            if (n < 0 && errno == EINTR) continue;
            check(n >= 0, "epoll_wait");
            if (n == 0) throw std::runtime_error("reconnect floor: no progress for 5 s (see the server side's error above)");
            for (int i = 0; i < n; ++i) {
                const auto& ev = events[static_cast<std::size_t>(i)];
                int fd = ev.data.fd;
                auto& p = at(table, fd);
                if (ev.events & (EPOLLERR | EPOLLHUP))
                    throw std::runtime_error("reconnect floor: a connection failed (see the server side's error above)");
                if (p.phase == 0 && (ev.events & EPOLLOUT)) {
                    send_all(fd, request);
                    p.phase = 1;
                }
                if (!(ev.events & EPOLLIN)) continue;
                bool closed = false;
                p.got += drain(fd, closed);
                if (closed) throw std::runtime_error("reconnect floor: the server side closed a connection");
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
    bring_back(); // the sockets the first storm drops
    for (int round = 0; round < o.rounds; ++round) {
        double s0 = cpu_seconds(server_clock), c0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
        auto t0 = clock::now();
        drop_all();
        bring_back();
        auto t1 = clock::now();
        // The server may still be closing the last of the dropped sockets: let it finish
        // before reading its clock (it has nothing else to do).
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        double s1 = cpu_seconds(server_clock), c1 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
        wall_ms.push_back(static_cast<double>(micros(t1 - t0)) / 1000.0);
        server_us.push_back((s1 - s0) * 1e6 / o.sockets);
        client_us.push_back((c1 - c0) * 1e6 / o.sockets);
    }
    drop_all();
    if (!server.stop()) throw std::runtime_error("reconnect floor: the server side failed");

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
