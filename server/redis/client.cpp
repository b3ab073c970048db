#include "redis/client.hpp"

#include "log/logger.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>

namespace asio = boost::asio;

namespace sp::redis {

// SHAs are learnt from SCRIPT LOAD once and never change (they hash the source), so a
// slot is written at most once and then only read: the flag publishes the string.
struct client::script_slot {
    std::atomic<bool> known{false};
    std::string sha;
};

client::client(asio::any_io_executor ex, connection_options opts)
    : executor_(std::move(ex)),
      opts_(std::move(opts)),
      conn_(connection::create(executor_, opts_)),
      scripts_(new script_slot[builtin_scripts().size()])
{
}

client::~client()
{
    conn_->on_connected(nullptr); // io threads have stopped by now: no callback races this
    conn_->stop();
}

void client::start()
{
    conn_->on_connected([this](std::uint64_t generation) { on_connected(generation); });
    conn_->start();
}

void client::stop() { conn_->stop(); }

asio::awaitable<result> client::command(command_args args, std::chrono::milliseconds timeout)
{
    auto [ec, r] = co_await conn_->async_command(std::move(args), timeout, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return ec;
    co_return std::move(r);
}

const script_source* client::find(std::string_view name, std::size_t& index) const
{
    auto scripts = builtin_scripts();
    for (std::size_t i = 0; i < scripts.size(); ++i) {
        if (scripts[i].name == name) {
            index = i;
            return &scripts[i];
        }
    }
    return nullptr;
}

asio::awaitable<result> client::eval(std::string_view name, std::vector<std::string> keys, std::vector<std::string> args)
{
    std::size_t index = 0;
    const script_source* src = find(name, index);
    if (!src) {
        log::error("redis_unknown_script", {{"script", name}});
        co_return make_error_code(errc::unexpected_reply);
    }
    command_args cmd;
    cmd.reserve(3 + keys.size() + args.size());
    cmd.emplace_back();
    cmd.emplace_back();
    cmd.push_back(std::to_string(keys.size()));
    for (auto& k : keys) cmd.push_back(std::move(k));
    for (auto& a : args) cmd.push_back(std::move(a));

    script_slot& slot = scripts_[index];
    if (slot.known.load(std::memory_order_acquire)) {
        cmd[0] = "EVALSHA";
        cmd[1] = slot.sha;
        result r = co_await command(cmd);
        if (!r || !r->is_error_code("NOSCRIPT")) co_return r;
        log::info("redis_script_reload", {{"script", name}});
    }
    // The script cache was flushed (or never filled): EVAL runs and caches it again.
    cmd[0] = "EVAL";
    cmd[1] = std::string(src->body);
    co_return co_await command(std::move(cmd));
}

void client::on_connected(std::uint64_t generation)
{
    asio::co_spawn(
        executor_,
        [this, generation]() -> asio::awaitable<void> {
            auto scripts = builtin_scripts();
            for (std::size_t i = 0; i < scripts.size(); ++i) {
                command_args load{"SCRIPT", "LOAD", std::string(scripts[i].body)}; // no braced list in co_await (GCC 12)
                result r = co_await command(std::move(load));
                if (!r || r->type != reply::kind::string) {
                    std::string why = !r ? r.error().message() : r->str;
                    log::error("redis_script_load_failed", {{"script", scripts[i].name}, {"reason", why}});
                    std::lock_guard lock(script_error_mutex_);
                    script_error_ = "script " + std::string(scripts[i].name) + " failed to load: " + why;
                    co_return; // the next reconnect tries again
                }
                if (!scripts_[i].known.load(std::memory_order_acquire)) {
                    scripts_[i].sha = r->str;
                    scripts_[i].known.store(true, std::memory_order_release);
                }
            }
            {
                std::lock_guard lock(script_error_mutex_);
                script_error_.clear();
            }
            scripts_generation_.store(generation, std::memory_order_release);
            log::info("redis_scripts_loaded", {{"count", scripts.size()}, {"generation", generation}});
        },
        asio::detached);
}

bool client::ready() const
{
    return conn_->is_connected() && scripts_generation_.load(std::memory_order_acquire) == conn_->generation();
}

std::string client::not_ready_reason() const
{
    if (!conn_->is_connected()) {
        std::string err = conn_->last_error();
        return err.empty() ? "redis: connecting" : "redis: " + err;
    }
    if (scripts_generation_.load(std::memory_order_acquire) != conn_->generation()) {
        std::lock_guard lock(script_error_mutex_);
        return script_error_.empty() ? "redis: loading scripts" : "redis: " + script_error_;
    }
    return {};
}

std::shared_ptr<connection> client::open_blocking_connection(std::string client_name) const
{
    connection_options o = opts_;
    o.client_name = std::move(client_name);
    o.health_interval = std::chrono::milliseconds{0}; // a PING would queue behind the blocking read
    return connection::create(executor_, std::move(o));
}

} // namespace sp::redis
