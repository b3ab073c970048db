#pragma once
/**
 * How many live connections may be opened or answer a subscribe at once. The rest wait
 * their turn here, where waiting costs no CPU, instead of in the io threads' queues,
 * where a storm of reconnects (a deploy, a Wi-Fi drop in a camp) would make every other
 * request, health checks included, wait behind thousands of handshakes. The line is
 * bounded: beyond it a caller is turned away at once (503 / a retryable error).
 *
 * Thread-safe. A turn is handed on by waking the first waiter on its own executor.
 */
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

namespace sp::live {

class admission_gate {
public:
    admission_gate(std::size_t max_active, std::size_t max_waiting)
        : max_active_(max_active), max_waiting_(max_waiting) {}

    /** A turn, held until destroyed (movable). Empty when the line was full. */
    class turn {
    public:
        turn() = default;
        explicit turn(admission_gate* g) : gate_(g) {}
        turn(turn&& o) noexcept : gate_(o.gate_) { o.gate_ = nullptr; }
        turn& operator=(turn&& o) noexcept;
        turn(const turn&) = delete;
        turn& operator=(const turn&) = delete;
        ~turn() { release(); }
        explicit operator bool() const { return gate_ != nullptr; }
        void release();

    private:
        admission_gate* gate_ = nullptr;
    };

    /** Waits for a turn; an empty one at once when `max_waiting` are already waiting. */
    boost::asio::awaitable<turn> enter();

    std::size_t active() const;
    std::size_t waiting() const;
    std::uint64_t turned_away() const;

private:
    void leave();

    mutable std::mutex mutex_;
    std::size_t max_active_;
    std::size_t max_waiting_;
    std::size_t active_ = 0;
    std::uint64_t turned_away_ = 0;
    std::deque<std::shared_ptr<boost::asio::steady_timer>> waiting_; // first in line first
};

} // namespace sp::live
