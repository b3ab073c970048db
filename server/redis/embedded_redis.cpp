#include "redis/embedded_redis.hpp"

#include "log/logger.hpp"
#include "redis/aof_tail.hpp"

#include <boost/asio/post.hpp>
#include <filesystem>
#include <fstream>
#include <hiredis/hiredis.h>
#include <stdexcept>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace sp::redis {
namespace {

bool answers_ping(const std::string& socket)
{
    timeval tv{0, 200'000};
    redisContext* c = redisConnectUnixWithTimeout(socket.c_str(), tv);
    if (!c) return false;
    bool ok = false;
    if (!c->err) {
        auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
        ok = r && r->type == REDIS_REPLY_STATUS;
        if (r) freeReplyObject(r);
    }
    redisFree(c);
    return ok;
}

std::string log_tail(const std::string& path)
{
    std::ifstream in(path);
    std::string line, tail;
    std::vector<std::string> lines;
    while (std::getline(in, line)) lines.push_back(line);
    for (std::size_t i = lines.size() > 5 ? lines.size() - 5 : 0; i < lines.size(); ++i) tail += "\n  " + lines[i];
    return tail;
}

} // namespace

embedded_redis::embedded_redis(std::string binary, std::string data_dir) : binary_(std::move(binary))
{
    dir_ = fs::absolute(data_dir).lexically_normal().string();
    // A unix socket path is limited to 107 bytes.
    if (socket_path().size() > 100)
        throw std::runtime_error("option redis.embedded_dir: path too long for a unix socket: " + dir_);
}

embedded_redis::~embedded_redis() { stop(); }

void embedded_redis::start()
{
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) throw std::runtime_error("option redis.embedded_dir: cannot create " + dir_ + ": " + ec.message());
    ::chmod(dir_.c_str(), 0700);
    if (answers_ping(socket_path())) {
        // Most likely the Redis of a server that was just killed and is still shutting
        // down (it got SIGTERM through PR_SET_PDEATHSIG): give it a moment.
        for (int i = 0; i < 50 && answers_ping(socket_path()); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (answers_ping(socket_path()))
            throw std::runtime_error("an embedded Redis is already running in " + dir_ +
                                     " (another sprechstunde?); stop it, or set redis.url to share one Redis");
    }
    repair_aof();
    spawn();
    wait_until_answering(std::chrono::seconds(15));
    log::info("embedded_redis_started", {{"pid", child_.pid()}, {"socket", socket_path()}});
}

void embedded_redis::repair_aof()
{
    try {
        aof_repair r = repair_aof_tail(dir_);
        if (r.truncated) {
            log::warn("embedded_redis_aof_repaired",
                      {{"file", r.file},
                       {"size", r.scan.size},
                       {"kept", r.scan.keep},
                       {"dropped_bytes", r.scan.size - r.scan.keep},
                       {"unfinished_transaction", r.scan.open_transaction},
                       {"unacknowledged_writes", r.scan.queued_writes}});
        } else if (r.scan.end == aof_scan::ending::malformed) {
            // Redis decides: it refuses a file broken in the middle, and says so in its log.
            log::error("embedded_redis_aof_malformed",
                       {{"file", r.file}, {"offset", r.scan.keep}, {"problem", r.scan.problem}, {"log", log_path()}});
        }
    } catch (const std::exception& e) {
        // Redis still starts: it cuts a short tail back itself, only less precisely.
        log::error("embedded_redis_aof_repair_failed", {{"reason", e.what()}});
    }
}

void embedded_redis::spawn()
{
    ::unlink(socket_path().c_str());
    // appendfsync always: Redis writes and fsyncs the AOF before it answers. With everysec it
    // answers first while an earlier fsync is still running (a busy disk), and a crash then
    // loses bookings the server has already confirmed. Bookings are few; the fsync is shared
    // by every command of one event-loop turn.
    child_ = util::child_process::spawn(
        {binary_, "--port", "0", "--unixsocket", socket_path(), "--unixsocketperm", "700", "--dir", dir_,
         "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
         "--pidfile", dir_ + "/redis.pid", "--logfile", "", "--loglevel", "notice"},
        log_path());
}

void embedded_redis::wait_until_answering(std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto status = child_.try_reap())
            throw std::runtime_error("embedded redis-server " + util::describe_wait_status(*status) +
                                     "; its log " + log_path() + " ends:" + log_tail(log_path()));
        if (answers_ping(socket_path())) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    child_.terminate(std::chrono::milliseconds(1000));
    throw std::runtime_error("embedded redis-server did not answer within " + std::to_string(timeout.count()) +
                             " ms; its log " + log_path() + " ends:" + log_tail(log_path()));
}

void embedded_redis::watch(boost::asio::any_io_executor ex)
{
    restart_timer_ = std::make_unique<boost::asio::steady_timer>(ex);
    if (child_.exit_descriptor() < 0) return;
    exit_watch_ = std::make_unique<boost::asio::posix::stream_descriptor>(ex, ::dup(child_.exit_descriptor()));
    arm_watch();
}

void embedded_redis::arm_watch()
{
    exit_watch_->async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
        if (ec || stopping_) return;
        auto status = child_.try_reap();
        if (!status) {
            arm_watch();
            return;
        }
        log::error("embedded_redis_exited", {{"status", util::describe_wait_status(*status)}, {"log", log_path()}});
        exit_watch_->close();
        restart_timer_->expires_after(std::chrono::milliseconds(200));
        restart_timer_->async_wait([this](boost::system::error_code ec) {
            if (ec || stopping_) return;
            // The killed Redis may have left a transaction cut off in the AOF: repair it
            // before the new one loads it, reading the file on our own thread.
            boost::asio::post(repair_pool_, [this, ex = restart_timer_->get_executor()] {
                repair_aof();
                boost::asio::post(ex, [this] { respawn(); });
            });
        });
    });
}

void embedded_redis::respawn()
{
    if (stopping_) return;
    try {
        spawn(); // no blocking wait here: the Redis connection reconnects when it answers
        exit_watch_ = std::make_unique<boost::asio::posix::stream_descriptor>(restart_timer_->get_executor(),
                                                                             ::dup(child_.exit_descriptor()));
        log::info("embedded_redis_restarted", {{"pid", child_.pid()}});
        arm_watch();
    } catch (const std::exception& e) {
        log::error("embedded_redis_restart_failed", {{"reason", e.what()}});
    }
}

void embedded_redis::stop()
{
    stopping_ = true;
    repair_pool_.join(); // a repair in flight finishes before its file's Redis is gone
    exit_watch_.reset();
    restart_timer_.reset();
    if (!child_.valid()) return;
    pid_t pid = child_.pid();
    int status = child_.terminate(std::chrono::seconds(10));
    log::info("embedded_redis_stopped", {{"pid", pid}, {"status", util::describe_wait_status(status)}});
}

} // namespace sp::redis
