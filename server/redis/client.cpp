#include "redis/client.hpp"

#include "log/logger.hpp"
#include "task/io_lanes.hpp"
#include "task/supervised_task.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace asio = boost::asio;

namespace sp::redis {

// SHAs are learnt from SCRIPT LOAD once and never change (they hash the source), so a
// slot is written at most once and then only read: the flag publishes the string. The
// lanes' connections load at the same time: the first to finish writes it (once_flag).
struct client::script_slot {
    std::atomic<bool> known{false};
    std::once_flag learnt;
    std::string sha;
};

namespace {

/** A script's refusal ({'err', code, ...}): the scripts check before they write, so a
 *  refusal changed nothing and there is nothing for the replicas to confirm. */
bool refusal(const reply& r)
{
    return r.type == reply::kind::array && !r.elements.empty() && r.elements[0].str == "err";
}

/** An error the script itself raised: a Lua runtime error or a call it made that Redis
 *  refused as wrong (ERR, WRONGTYPE). Errors that say Redis cannot serve right now
 *  (OOM, BUSY, LOADING, MASTERDOWN, NOREPLICAS, MISCONF, READONLY) are not. */
bool is_script_failure(const reply& r)
{
    return r.is_error_code("ERR") || r.is_error_code("WRONGTYPE");
}

} // namespace

/** One lane's command connection and the generation whose scripts it has loaded. */
struct client::lane {
    asio::any_io_executor executor;
    std::shared_ptr<connection> conn;
    std::unique_ptr<std::atomic<std::uint64_t>> scripts_generation = std::make_unique<std::atomic<std::uint64_t>>(0);
};

client::client(std::vector<asio::any_io_executor> lanes, connection_options opts, durability_options durability)
    : opts_(std::move(opts)), durability_(durability), scripts_(new script_slot[builtin_scripts().size()])
{
    if (lanes.empty()) throw std::invalid_argument("redis::client needs at least one executor");
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        connection_options o = opts_;
        if (lanes.size() > 1) o.client_name = opts_.client_name + "-" + std::to_string(i);
        lane l;
        l.executor = lanes[i];
        l.conn = connection::create(lanes[i], std::move(o));
        lanes_.push_back(std::move(l));
    }
    if (durability_.replicas > 0) {
        connection_options w = opts_;
        w.client_name = opts_.client_name + "-writes";
        // A health PING queues behind a WAIT that may take the whole wait timeout.
        w.command_timeout = opts_.command_timeout + durability_.timeout;
        writes_ = connection::create(lanes_.front().executor, std::move(w));
    }
}

client::~client()
{
    for (auto& l : lanes_) {
        l.conn->on_connected(nullptr); // io threads have stopped by now: no callback races this
        l.conn->stop();
    }
    if (writes_) writes_->stop();
}

void client::start()
{
    for (auto& l : lanes_) {
        l.conn->on_connected([this, &l](std::uint64_t generation) { on_connected(l, generation); });
        l.conn->start();
    }
    if (writes_) writes_->start();
}

void client::stop()
{
    for (auto& l : lanes_) l.conn->stop();
    if (writes_) writes_->stop();
}

bool client::stop_and_wait(std::chrono::milliseconds timeout)
{
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<std::future<void>> stopping;
    for (auto& l : lanes_) stopping.push_back(l.conn->stop());
    if (writes_) stopping.push_back(writes_->stop());
    bool stopped = true;
    for (auto& f : stopping) stopped = f.wait_until(deadline) == std::future_status::ready && stopped;
    return stopped;
}

connection& client::conn()
{
    std::size_t lane = task::current_lane();
    return *lanes_[lane < lanes_.size() ? lane : 0].conn;
}

connection_stats client::stats() const
{
    connection_stats sum;
    for (const auto& l : lanes_) {
        auto s = l.conn->stats();
        sum.commands += s.commands;
        sum.timeouts += s.timeouts;
        sum.reconnects += s.reconnects;
    }
    return sum;
}

std::string client::address() const { return lanes_.front().conn->address(); }

std::uint64_t client::generation() const
{
    std::uint64_t sum = 0;
    for (const auto& l : lanes_) sum += l.conn->generation();
    return sum;
}

asio::awaitable<result> client::replicated(command_args cmd)
{
    std::vector<timed_command> batch;
    batch.push_back(timed_command{std::move(cmd), opts_.command_timeout});
    command_args wait{"WAIT", std::to_string(durability_.replicas), std::to_string(durability_.timeout.count())};
    batch.push_back(timed_command{std::move(wait), opts_.command_timeout + durability_.timeout});
    auto [ec, r] = co_await writes_->async_pipeline(std::move(batch), asio::as_tuple(asio::use_awaitable));
    if (ec) co_return ec;
    if (r.elements.size() != 2) co_return make_error_code(errc::unexpected_reply);
    reply& written = r.elements[0];
    const reply& acks = r.elements[1];
    if (written.is_error() || refusal(written)) co_return std::move(written);
    if (acks.type != reply::kind::integer || acks.integer < durability_.replicas) {
        not_replicated_.fetch_add(1, std::memory_order_relaxed);
        log::warn("redis_not_replicated", {{"wanted", durability_.replicas},
                                           {"confirmed", acks.type == reply::kind::integer ? acks.integer : 0},
                                           {"reply", acks.is_error() ? acks.str : std::string{}}});
        co_return make_error_code(errc::not_replicated);
    }
    co_return std::move(written);
}

asio::awaitable<result> client::command(command_args args, std::chrono::milliseconds timeout)
{
    auto [ec, r] = co_await conn().async_command(std::move(args), timeout, asio::as_tuple(asio::use_awaitable));
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

asio::awaitable<result> client::eval(script_call call)
{
    const std::string_view name = call.name;
    command_args cmd;
    cmd.reserve(3 + call.keys.size() + call.args.size());
    cmd.emplace_back();
    cmd.emplace_back();
    cmd.push_back(std::to_string(call.keys.size()));
    for (auto& k : call.keys) cmd.push_back(std::move(k));
    for (auto& a : call.args) cmd.push_back(std::move(a));
    // Only a change a user is told about waits for the replicas when durability is
    // "replicated"; reads and housekeeping would only add latency.
    bool wait_for_replicas = writes_ && call.effect == script_effect::tells_users;
    result r = co_await run_script(name, std::move(cmd), wait_for_replicas);
    if (r && is_script_failure(*r)) {
        script_failures_.fetch_add(1, std::memory_order_relaxed);
        log::error("redis_script_failed", {{"script", name}, {"reply", r->str}});
        co_return make_error_code(errc::script_failed);
    }
    co_return r;
}

asio::awaitable<result> client::run_script(std::string_view name, command_args cmd, bool wait_for_replicas)
{
    std::size_t index = 0;
    const script_source* src = find(name, index);
    if (!src) {
        log::error("redis_unknown_script", {{"script", name}});
        co_return make_error_code(errc::unexpected_reply);
    }
    script_slot& slot = scripts_[index];
    if (slot.known.load(std::memory_order_acquire)) {
        cmd[0] = "EVALSHA";
        cmd[1] = slot.sha;
        if (wait_for_replicas) {
            result r = co_await replicated(cmd);
            if (!r || !r->is_error_code("NOSCRIPT")) co_return r;
        } else {
            result r = co_await command(cmd);
            if (!r || !r->is_error_code("NOSCRIPT")) co_return r;
        }
        log::info("redis_script_reload", {{"script", name}});
    }
    // The script cache was flushed (or never filled): EVAL runs and caches it again.
    cmd[0] = "EVAL";
    cmd[1] = std::string(src->body);
    if (wait_for_replicas) co_return co_await replicated(std::move(cmd));
    co_return co_await command(std::move(cmd));
}

void client::on_connected(lane& l, std::uint64_t generation)
{
    // Supervised: a load that throws is logged and tried again (a failed reply is
    // handled below and waits for the next reconnect). It finishes once the scripts are in.
    // It loads on the connection that (re)connected: each one is ready once its own
    // scripts are in (a restarted Redis has forgotten all of them).
    task::spawn_supervised(
        l.executor, task::supervision("redis_script_loader"),
        [this, &l, generation]() -> asio::awaitable<void> {
            auto scripts = builtin_scripts();
            for (std::size_t i = 0; i < scripts.size(); ++i) {
                command_args load{"SCRIPT", "LOAD", std::string(scripts[i].body)}; // no braced list in co_await (GCC 12)
                auto [ec, r] = co_await l.conn->async_command(std::move(load), std::chrono::milliseconds{0},
                                                              asio::as_tuple(asio::use_awaitable));
                if (ec || r.type != reply::kind::string) {
                    std::string why = ec ? ec.message() : r.str;
                    log::error("redis_script_load_failed", {{"script", scripts[i].name}, {"reason", why}});
                    std::lock_guard lock(script_error_mutex_);
                    script_error_ = "script " + std::string(scripts[i].name) + " failed to load: " + why;
                    co_return; // the next reconnect tries again
                }
                script_slot& slot = scripts_[i];
                std::call_once(slot.learnt, [&slot, &r] {
                    slot.sha = r.str;
                    slot.known.store(true, std::memory_order_release);
                });
            }
            {
                std::lock_guard lock(script_error_mutex_);
                script_error_.clear();
            }
            l.scripts_generation->store(generation, std::memory_order_release);
            log::info("redis_scripts_loaded", {{"count", scripts.size()}, {"generation", generation}});
        });
}

bool client::ready() const
{
    for (const auto& l : lanes_)
        if (!l.conn->is_connected() || l.scripts_generation->load(std::memory_order_acquire) != l.conn->generation())
            return false;
    return !writes_ || writes_->is_connected();
}

std::string client::not_ready_reason() const
{
    for (const auto& l : lanes_) {
        if (!l.conn->is_connected()) {
            std::string err = l.conn->last_error();
            return err.empty() ? "redis: connecting" : "redis: " + err;
        }
    }
    if (writes_ && !writes_->is_connected()) {
        std::string err = writes_->last_error();
        return err.empty() ? "redis: connecting the writes connection" : "redis (writes): " + err;
    }
    for (const auto& l : lanes_) {
        if (l.scripts_generation->load(std::memory_order_acquire) != l.conn->generation()) {
            std::lock_guard lock(script_error_mutex_);
            return script_error_.empty() ? "redis: loading scripts" : "redis: " + script_error_;
        }
    }
    return {};
}

std::shared_ptr<connection> client::open_blocking_connection(std::string client_name) const
{
    connection_options o = opts_;
    o.client_name = std::move(client_name);
    o.health_interval = std::chrono::milliseconds{0}; // a PING would queue behind the blocking read
    return connection::create(lanes_.front().executor, std::move(o));
}

} // namespace sp::redis
