#pragma once
/**
 * A WebSocket client for the live tests: connects to /ws (optionally with an Origin),
 * reads every message on a thread of its own into a queue, and lets the test wait for
 * the next message or for one with a given "op". Records the close code the server
 * sent. Never blocks a test for longer than the timeout it is given.
 */
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace sp::test {

class ws_client {
public:
    /** Throws std::runtime_error (with the HTTP status in the text) when the upgrade fails. */
    /** `read` false: never reads (a stuck consumer, which also never answers pings);
     *  `receive_buffer` > 0 shrinks the socket's receive buffer so it backs up sooner. */
    explicit ws_client(std::uint16_t port, const std::string& origin = {}, bool read = true, int receive_buffer = 0,
                       const std::string& cookie = {});
    ~ws_client();

    /** A client made with `read` false starts reading now (a consumer that was stuck and recovers). */
    void start_reading();
    void send(const std::string& text);
    void send_binary(const std::string& bytes);
    /** The next message, or nullopt after `timeout`. */
    std::optional<std::string> next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    /** The next message and when it arrived (stamped by the reading thread). */
    std::optional<std::pair<std::string, std::chrono::system_clock::time_point>> next_timed(
        std::chrono::milliseconds timeout);
    /** The next message whose "op" is `op` (others are skipped), or nullopt. */
    std::optional<std::string> next_op(const std::string& op, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    /** Waits until the server closed the connection; its close code, or -1 on timeout. */
    int wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    void close();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace sp::test
