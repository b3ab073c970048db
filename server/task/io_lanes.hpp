#pragma once
/**
 * The server's io threads: one io_context per thread (a "lane"), each running only the
 * handlers of the sockets, timers and Redis connection it owns. With one io_context run by
 * every thread, Asio wakes another thread (a futex and a context switch) for nearly every
 * handler it queues, and a connection's handlers move between threads; on a lane they stay
 * where they started (measured in the README's performance section, "The io threads").
 * Work crosses lanes only where it must: each lane listens on the port itself
 * (SO_REUSEPORT, http::http_server), so a connection stays on the lane whose socket
 * accepted it, and a change reaches each lane's sockets with one posted handler.
 *
 * Thread-safety: every member from any thread; run() and stop_and_join() from one
 * thread that is not a lane's.
 */
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <limits>
#include <memory>
#include <thread>
#include <vector>

namespace sp::task {

/** The lane the calling thread runs, or no_lane on a thread that is not a lane's. */
inline constexpr std::size_t no_lane = std::numeric_limits<std::size_t>::max();
std::size_t current_lane();

class io_lanes {
public:
    /** `count` lanes (at least one), not yet running. */
    explicit io_lanes(std::size_t count);
    ~io_lanes();
    io_lanes(const io_lanes&) = delete;
    io_lanes& operator=(const io_lanes&) = delete;

    std::size_t size() const { return lanes_.size(); }
    boost::asio::io_context& context(std::size_t lane);
    boost::asio::io_context::executor_type executor(std::size_t lane) const;
    std::vector<boost::asio::io_context::executor_type> executors() const;
    /** Every lane's io_context, in lane order (a listening socket on each). */
    std::vector<boost::asio::io_context*> contexts();

    /** Starts one thread per lane; each runs until stop_and_join(). */
    void run();
    /** Stops every lane and waits for its thread. */
    void stop_and_join();
    /** After stop_and_join(): destroys the handlers still queued (and the sessions and
     *  coroutine frames they own) while what they refer to still exists. */
    void destroy_pending_handlers();

private:
    struct lane;
    std::vector<std::unique_ptr<lane>> lanes_;
    std::vector<std::thread> threads_;
};

} // namespace sp::task
