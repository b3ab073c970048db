#pragma once
/**
 * The Redis the server brings along when none is configured: a `redis-server` child
 * listening only on a unix socket (mode 0700, no TCP), data and AOF under one folder.
 * start() blocks until it answers PING (start-up only). watch() restarts it, with
 * backoff, should it die while we run; the command connection reconnects by itself.
 * stop() shuts it down cleanly (SIGTERM lets it fsync the AOF), SIGKILL after a grace.
 * Before every start and restart the AOF's cut-off tail is repaired (aof_tail.hpp): at
 * start-up on the main thread, after a crash on a worker thread of our own.
 * Thread-safety: start() and stop() from the main thread; watch() runs on the executor.
 * The executor's io_context must outlive this object (the repair thread posts to it).
 */
#include "util/child_process.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

namespace sp::redis {

class embedded_redis {
public:
    embedded_redis(std::string binary, std::string data_dir);
    ~embedded_redis();

    /** Spawns redis-server and waits (up to 15 s) until it answers. Throws with the
     *  tail of its log on failure. */
    void start();
    /** Restarts the child whenever it exits unexpectedly, until stop(). */
    void watch(boost::asio::any_io_executor ex);
    void stop();

    std::string socket_path() const { return dir_ + "/redis.sock"; }
    std::string log_path() const { return dir_ + "/redis.log"; }
    pid_t pid() const { return child_.pid(); }

private:
    /** Blocking file I/O: start-up or repair_pool_ only. Logs what it did; never throws. */
    void repair_aof();
    void spawn();
    void respawn();
    void wait_until_answering(std::chrono::milliseconds timeout);
    void arm_watch();

    std::string binary_;
    std::string dir_; // absolute
    util::child_process child_;
    std::unique_ptr<boost::asio::posix::stream_descriptor> exit_watch_;
    std::unique_ptr<boost::asio::steady_timer> restart_timer_;
    bool stopping_ = false;
    boost::asio::thread_pool repair_pool_{1}; // the AOF repair after a crash, off the io threads
};

} // namespace sp::redis
