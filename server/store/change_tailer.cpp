#include "store/change_tailer.hpp"

#include "log/logger.hpp"
#include "util/stream_id.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;

namespace sp::store {

using util::parse_stream_id;

change_tailer::change_tailer(redis::client& redis, keys k, batch_handler on_batch, gap_handler on_gap,
                             std::chrono::milliseconds block)
    : redis_(redis), keys_(std::move(k)), on_batch_(std::move(on_batch)), on_gap_(std::move(on_gap)), block_(block)
{
}

std::string change_tailer::position() const
{
    std::lock_guard lock(mutex_);
    return position_;
}

void change_tailer::stop()
{
    stopped_ = true;
    if (conn_) conn_->stop();
}

asio::awaitable<redis::result> change_tailer::shared(redis::command_args cmd)
{
    co_return co_await redis_.command(std::move(cmd));
}

asio::awaitable<std::string> change_tailer::prime()
{
    redis::command_args cmd{"XREVRANGE", keys_.changes(), "+", "-", "COUNT", "1"};
    redis::result r = co_await shared(std::move(cmd));
    if (!r) co_return r.error().message();
    if (r->is_error()) co_return r->str;
    auto entries = parse_log_entries(*r);
    std::lock_guard lock(mutex_);
    position_ = entries.empty() ? "0-0" : entries[0].id;
    co_return std::string{};
}

asio::awaitable<void> change_tailer::run()
{
    asio::steady_timer pause(co_await asio::this_coro::executor);
    // A restart after a failure (task::spawn_supervised) leaves the old connection behind.
    following_ = false;
    if (conn_) conn_->stop();
    conn_ = redis_.open_blocking_connection("sprechstunde-tailer");
    conn_->start();
    std::string last = position(); // "" until we know where the log ends
    std::uint64_t generation = 0; // of the blocking connection we last read on

    while (!stopped_) {
        if (!conn_->is_connected() || !redis_.ready()) {
            following_ = false;
            pause.expires_after(std::chrono::milliseconds(20));
            co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        if (last.empty()) {
            // Start at the end of the log: clients get older history through `since`.
            redis::command_args cmd{"XREVRANGE", keys_.changes(), "+", "-", "COUNT", "1"};
            redis::result r = co_await shared(std::move(cmd));
            if (!r || r->is_error()) continue;
            auto entries = parse_log_entries(*r);
            last = entries.empty() ? "0-0" : entries[0].id;
            std::lock_guard lock(mutex_);
            position_ = last;
            log::debug("tailer_start", {{"position", last}});
        }
        if (conn_->generation() != generation) {
            // A (re)connect: anything trimmed past our position is lost to us.
            generation = conn_->generation();
            redis::command_args cmd{"XRANGE", keys_.changes(), "-", "+", "COUNT", "1"};
            redis::result r = co_await shared(std::move(cmd));
            if (!r || r->is_error()) continue;
            auto first = parse_log_entries(*r);
            redis::command_args tail{"XREVRANGE", keys_.changes(), "+", "-", "COUNT", "1"};
            redis::result t = co_await shared(std::move(tail));
            if (!t || t->is_error()) continue;
            auto newest = parse_log_entries(*t);
            std::string end = newest.empty() ? "0-0" : newest[0].id;
            std::string reason;
            if (!first.empty() && last != "0-0" && parse_stream_id(first[0].id) > parse_stream_id(last))
                reason = "the change log was trimmed past this server's position";
            else if (parse_stream_id(end) < parse_stream_id(last))
                // A failover to a replica that had not yet received the newest changes: they
                // are gone, and clients may have seen them.
                reason = "the change log lost its newest entries (a Redis failover)";
            if (!reason.empty()) {
                log::warn("change_log_gap", {{"position", last}, {"end", end}, {"reason", reason}});
                if (on_gap_) on_gap_(reason);
                last = end;
                std::lock_guard lock(mutex_);
                position_ = last;
            }
            following_ = true;
        }
        redis::command_args read{"XREAD", "COUNT", "500", "BLOCK", std::to_string(block_.count()), "STREAMS",
                                 keys_.changes(), last};
        auto [ec, reply] = co_await conn_->async_command(std::move(read), block_ + std::chrono::milliseconds(2000),
                                                         asio::as_tuple(asio::use_awaitable));
        if (ec || reply.is_error()) {
            if (!stopped_ && ec != redis::errc::shut_down)
                log::debug("tailer_read_failed", {{"reason", ec ? ec.message() : reply.str}});
            continue; // the connection reconnects by itself
        }
        auto entries = parse_xread(reply);
        if (entries.empty()) continue; // BLOCK timed out: nothing new
        log::debug("tailer_batch", {{"entries", entries.size()}, {"first", entries.front().id}});
        last = entries.back().id;
        {
            std::lock_guard lock(mutex_);
            position_ = last;
        }
        auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
        lag_ms_ = now_ms - static_cast<std::int64_t>(parse_stream_id(entries.back().id).first);
        co_await on_batch_(std::move(entries));
    }
    following_ = false;
}

} // namespace sp::store
