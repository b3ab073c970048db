#include "support/raw_ws_client.hpp"
#include "support/test_env.hpp"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace sp::test {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

const std::string k_ws_upgrade = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

std::string client_frame(std::uint8_t first_byte, std::string_view payload, bool masked, std::uint64_t declared)
{
    const std::uint64_t len = declared == UINT64_MAX ? payload.size() : declared;
    std::string f(1, static_cast<char>(first_byte));
    const std::uint8_t mask_bit = masked ? 0x80 : 0;
    if (len < 126) {
        f += static_cast<char>(mask_bit | len);
    } else if (len <= 0xffff) {
        f += static_cast<char>(mask_bit | 126);
        f += static_cast<char>(len >> 8);
        f += static_cast<char>(len & 0xff);
    } else {
        f += static_cast<char>(mask_bit | 127);
        for (int i = 7; i >= 0; --i) f += static_cast<char>((len >> (8 * i)) & 0xff);
    }
    const char key[4] = {0x37, static_cast<char>(0xfa), 0x21, 0x3d};
    if (masked) f.append(key, 4);
    for (std::size_t i = 0; i < payload.size(); ++i)
        f += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
    return f;
}

int close_code_of(const server_frame& f)
{
    if (f.opcode != ws_bits::close) return -1;
    if (f.payload.size() < 2) return 1005;
    return (static_cast<unsigned char>(f.payload[0]) << 8) | static_cast<unsigned char>(f.payload[1]);
}

raw_ws_client::raw_ws_client(std::uint16_t port, bool upgrade, int receive_buffer)
{
    fd_ = connect_loopback(port, receive_buffer);
    if (fd_ < 0) throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port));
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    if (upgrade) {
        std::string head = handshake();
        if (head.rfind("HTTP/1.1 101", 0) != 0) {
            ::close(fd_);
            throw std::runtime_error("the upgrade was answered with: " + head.substr(0, head.find('\r')));
        }
    }
}

raw_ws_client::~raw_ws_client() { ::close(fd_); }

std::string raw_ws_client::handshake(const std::string& request)
{
    send_bytes(request);
    const auto end = clock_type::now() + 5s;
    while (in_.find("\r\n\r\n") == std::string::npos && !eof_ && clock_type::now() < end) read_some(50ms);
    const auto blank = in_.find("\r\n\r\n");
    if (blank == std::string::npos) return in_;
    std::string head = in_.substr(0, blank + 4);
    in_.erase(0, blank + 4);
    return head;
}

std::size_t raw_ws_client::send_bytes(std::string_view bytes, std::chrono::milliseconds for_at_most)
{
    std::size_t sent = 0;
    const auto end = clock_type::now() + for_at_most;
    while (sent < bytes.size() && clock_type::now() < end) {
        ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            read_some(10ms); // the server may have answered (and stopped reading)
            if (eof_) break;
        } else {
            break;
        }
    }
    return sent;
}

std::optional<std::size_t> raw_ws_client::send_some(std::string_view bytes)
{
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    return std::nullopt;
}

std::optional<server_frame> raw_ws_client::next(std::chrono::milliseconds timeout)
{
    const auto end = clock_type::now() + timeout;
    for (;;) {
        if (auto f = parse()) return f;
        if (eof_ || clock_type::now() >= end) return std::nullopt;
        read_some(50ms);
    }
}

int raw_ws_client::close_code(std::chrono::milliseconds timeout)
{
    const auto end = clock_type::now() + timeout;
    for (;;) {
        while (auto f = parse()) {
            if (f->opcode == ws_bits::close) return close_code_of(*f);
            seen_ += f->payload;
        }
        if (eof_) return 0;
        if (clock_type::now() >= end) return -1;
        read_some(50ms);
    }
}

bool raw_ws_client::closed_by_server(std::chrono::milliseconds timeout)
{
    const auto end = clock_type::now() + timeout;
    while (!eof_ && clock_type::now() < end) read_some(50ms);
    return eof_;
}

std::optional<server_frame> raw_ws_client::parse()
{
    if (in_.size() < 2) return std::nullopt;
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(in_[i]); };
    if (b(1) & 0x80) throw std::runtime_error("the server masked a frame");
    std::uint64_t len = b(1) & 0x7f;
    std::size_t at = 2;
    if (len == 126) {
        if (in_.size() < 4) return std::nullopt;
        len = (std::uint64_t(b(2)) << 8) | b(3);
        at = 4;
    } else if (len == 127) {
        if (in_.size() < 10) return std::nullopt;
        len = 0;
        for (std::size_t i = 2; i < 10; ++i) len = (len << 8) | b(i);
        at = 10;
    }
    if (in_.size() < at + len) return std::nullopt;
    if ((b(0) & ws_bits::fin) == 0) throw std::runtime_error("the server fragmented a frame");
    server_frame f{static_cast<std::uint8_t>(b(0) & 0x0f), in_.substr(at, len)};
    in_.erase(0, at + len);
    return f;
}

void raw_ws_client::read_some(std::chrono::milliseconds wait)
{
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) in_.append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) eof_ = true;
}

} // namespace sp::test
