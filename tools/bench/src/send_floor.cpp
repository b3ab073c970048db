#include "send_floor.hpp"

#include "raw_sockets.hpp"

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace sp::bench {
namespace {

double thread_cpu_s() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID); }

void check(bool ok, const char* what) { check_errno(ok, what); }

} // namespace

void run_send_floor(const send_floor_options& o, json_out& out)
{
    sockaddr_in addr{};
    unique_fd listening = loopback_listener(addr);
    int listener = listening.get();

    std::vector<int> senders, receivers;
    for (int i = 0; i < o.sockets; ++i) {
        int c = ::socket(AF_INET, SOCK_STREAM, 0);
        check(c >= 0, "socket");
        check(::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0, "connect");
        int one = 1;
        ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        int a = ::accept(listener, nullptr, nullptr);
        check(a >= 0, "accept");
        ::setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        senders.push_back(a); // the server side writes, as the server does
        receivers.push_back(c);
    }

    const std::size_t expected = static_cast<std::size_t>(o.messages) * static_cast<std::size_t>(o.size);
    std::atomic<double> reader_cpu{0};
    std::thread reader([&] {
        int ep = ::epoll_create1(0);
        for (int fd : receivers) {
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.fd = fd;
            ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        }
        double t0 = thread_cpu_s();
        std::vector<epoll_event> events(256);
        std::vector<char> buf(64 * 1024);
        std::size_t got = 0;
        while (got < expected) {
            int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), 1000);
            if (n <= 0) break; // a second with nothing: the writer is done or stuck
            for (int i = 0; i < n; ++i) {
                ssize_t r = ::recv(events[static_cast<std::size_t>(i)].data.fd, buf.data(), buf.size(), 0);
                if (r > 0) got += static_cast<std::size_t>(r);
            }
        }
        reader_cpu = thread_cpu_s() - t0;
        ::close(ep);
    });

    std::string msg(static_cast<std::size_t>(o.size), 'x');
    auto wall0 = clock::now();
    double t0 = thread_cpu_s();
    for (int i = 0; i < o.messages; ++i) {
        int fd = senders[static_cast<std::size_t>(i % o.sockets)];
        std::size_t sent = 0;
        while (sent < msg.size()) {
            ssize_t r = ::send(fd, msg.data() + sent, msg.size() - sent, MSG_NOSIGNAL);
            check(r > 0, "send");
            sent += static_cast<std::size_t>(r);
        }
    }
    double writer_cpu = thread_cpu_s() - t0;
    reader.join();
    double wall = seconds(clock::now() - wall0);
    for (int fd : senders)
        ::close(fd);
    for (int fd : receivers)
        ::close(fd);

    out.begin_object();
    out.key("sockets").value(o.sockets).key("messages").value(o.messages).key("size").value(o.size);
    out.key("writer_cpu_us_per_message").value(writer_cpu * 1e6 / o.messages);
    out.key("reader_cpu_us_per_message").value(reader_cpu.load() * 1e6 / o.messages);
    out.key("messages_per_s").value(o.messages / wall);
    out.end_object();
}

} // namespace sp::bench
