#include "book_script_driver.hpp"

#include "process_meter.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <fstream>
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace sp::bench {
namespace {

using asio::as_tuple;
using asio::use_awaitable;

/** One Redis connection with one command in flight: hiredis formats the command and
 *  parses the reply (its reader), Asio moves the bytes. */
class resp_connection {
public:
    struct reply {
        bool failed = false;       // connection error
        bool is_error = false;     // a Redis error reply (e.g. NOSCRIPT)
        std::string first, second; // status/str, or the first two elements of an array
    };

    explicit resp_connection(asio::any_io_executor ex) : socket_(std::move(ex)), reader_(redisReaderCreate()) {}
    ~resp_connection() { redisReaderFree(reader_); }
    resp_connection(const resp_connection&) = delete;
    resp_connection& operator=(const resp_connection&) = delete;

    asio::awaitable<bool> connect(std::uint16_t port)
    {
        asio::ip::tcp::endpoint ep(asio::ip::make_address_v4("127.0.0.1"), port);
        auto [ec] = co_await socket_.async_connect(ep, as_tuple(use_awaitable));
        if (!ec) socket_.set_option(asio::ip::tcp::no_delay(true));
        co_return !ec;
    }

    asio::awaitable<reply> command(const std::vector<std::string>& args)
    {
        reply out;
        argv_.clear();
        lens_.clear();
        for (const auto& a : args) {
            argv_.push_back(a.data());
            lens_.push_back(a.size());
        }
        char* cmd = nullptr;
        long long len = redisFormatCommandArgv(&cmd, static_cast<int>(argv_.size()), argv_.data(), lens_.data());
        if (len < 0) {
            out.failed = true;
            co_return out;
        }
        std::string bytes(cmd, static_cast<std::size_t>(len));
        redisFreeCommand(cmd);
        auto [wec, wn] = co_await asio::async_write(socket_, asio::buffer(bytes), as_tuple(use_awaitable));
        if (wec) {
            out.failed = true;
            co_return out;
        }
        void* r = nullptr;
        for (;;) {
            if (redisReaderGetReply(reader_, &r) != REDIS_OK) {
                out.failed = true;
                co_return out;
            }
            if (r) break;
            auto [rec, n] = co_await socket_.async_read_some(asio::buffer(buf_), as_tuple(use_awaitable));
            if (rec) {
                out.failed = true;
                co_return out;
            }
            redisReaderFeed(reader_, buf_.data(), n);
        }
        auto* rep = static_cast<redisReply*>(r);
        auto str = [](const redisReply* e) {
            return e && e->str ? std::string(e->str, e->len) : e ? std::to_string(e->integer) : std::string{};
        };
        if (rep->type == REDIS_REPLY_ERROR) out.is_error = true;
        if (rep->type == REDIS_REPLY_ARRAY) {
            if (rep->elements > 0) out.first = str(rep->element[0]);
            if (rep->elements > 1) out.second = str(rep->element[1]);
        } else {
            out.first = str(rep);
        }
        freeReplyObject(rep);
        co_return out;
    }

private:
    asio::ip::tcp::socket socket_;
    redisReader* reader_;
    std::array<char, 16384> buf_{};
    std::vector<const char*> argv_;
    std::vector<size_t> lens_;
};

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/** The script text as the server embeds it (server/redis/embed_scripts.cmake): a line
 *  "--! include NAME" is replaced by lib/NAME.lua, so the SHA is the server's. */
std::string script_source(const std::string& path)
{
    std::string text = read_file(path);
    std::string lib_dir = path.substr(0, path.rfind('/') + 1) + "lib/";
    const std::string directive = "--! include ";
    std::vector<std::string> names; // as cmake's REGEX MATCHALL "--! include [a-z_]+", on the original text
    for (auto at = text.find(directive); at != std::string::npos; at = text.find(directive, at + 1)) {
        auto end = text.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", at + directive.size());
        names.push_back(text.substr(at + directive.size(), end - at - directive.size()));
    }
    for (const auto& name : names) {
        std::string line = directive + name + "\n", lib = read_file(lib_dir + name + ".lua");
        for (auto at = text.find(line); at != std::string::npos; at = text.find(line, at + lib.size()))
            text.replace(at, line.size(), lib);
    }
    return text;
}

struct driver_state {
    explicit driver_state(const book_script_options& opts) : o(opts) {}
    const book_script_options& o;
    std::string sha;
    random_source rng{fresh_seed()};
    std::string tag = rng.hex(8);
    std::uint64_t n = 0;
    load_schedule schedule;
    samples latency; // all-out: send to answer; fixed rate: scheduled to answer
    std::uint64_t calls = 0, ok = 0;
    std::map<std::string, std::uint64_t> refusals;
    std::string first_error;
};

/** KEYS and ARGV as the typed binding scripts::book (server/store/scripts/) and the
 *  script_runner build them (sizes included: the outbox keys and the webhooks flag
 *  last), for a new founder. */
std::vector<std::string> book_call(driver_state& st)
{
    const auto& p = st.o.prefix;
    const std::string& sid = st.o.sessions[st.rng.below(st.o.sessions.size())];
    std::string booking_id = "b" + st.rng.hex(16);
    std::string founder = p + "founder:" + st.rng.hex(64); // sha256 of the e-mail in the server
    std::string token_hash = st.rng.hex(64);
    auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return {"EVALSHA",
            st.sha,
            "13",
            p + "session:" + sid,
            p + "session:" + sid + ":bookings",
            p + "session:" + sid + ":waitlist",
            founder,
            p + "booking:" + booking_id,
            p + "token:" + token_hash,
            p + "idem:" + st.rng.hex(64),
            p + "changes",
            founder + ":all",
            p + "personal",
            founder + ":no_shows",
            p + "outbox",
            p + "outbox:seq",
            "book",
            booking_id,
            sid,
            std::to_string(now),
            std::to_string(st.o.min_notice_s),
            std::to_string(st.o.horizon_s),
            std::to_string(st.o.max_upcoming),
            std::to_string(st.o.max_per_week),
            "1",
            std::to_string(st.o.waitlist_max),
            token_hash,
            st.rng.hex(64),  // request hash (an Idempotency-Key was sent)
            st.rng.hex(111), // sealed token: base64url of 83 bytes in the server
            std::to_string(st.o.idempotency_ttl_s),
            std::to_string(st.o.change_log_max),
            "Bench Founder",
            "f" + st.tag + "-" + std::to_string(st.n++) + "@bench.example",
            "Bench Start-up GmbH",
            "How do we price our first B2B contract?",
            "de",
            st.rng.hex(43), // the manage token (base64url of 32 bytes), for the confirmation mail
            "2",            // no-show limit (a new founder has none)
            "1",            // upcoming bookings a founder at that limit may hold
            "0"};           // webhooks off, as the benchmark server runs
}

/** One call; false when the connection failed or the answer came after the window. The
 *  latency counts from `scheduled` (the send itself when all-out). */
asio::awaitable<bool> call_once(resp_connection& c, driver_state& st, clock::time_point scheduled)
{
    auto args = book_call(st);
    auto r = co_await c.command(args);
    auto t1 = clock::now();
    if (r.failed) {
        if (st.first_error.empty()) st.first_error = "connection failed";
        co_return false;
    }
    if (t1 > st.schedule.deadline()) co_return false;
    ++st.calls;
    st.latency.add(micros(t1 - scheduled));
    if (!r.is_error && r.first == "ok")
        ++st.ok;
    else {
        ++st.refusals[r.is_error ? r.first.substr(0, 40) : r.second];
        if (st.first_error.empty()) st.first_error = r.first + " " + r.second;
    }
    co_return true;
}

asio::awaitable<void> worker(resp_connection& c, driver_state& st, wait_group& g)
{
    for (;;) {
        auto now = clock::now();
        if (now >= st.schedule.deadline()) break;
        bool answered = co_await call_once(c, st, now); // (named: GCC 12 and a co_await in a condition)
        if (!answered) break;
    }
    g.done();
}

/** Fixed rate (as book-http --rate): call i is due at start + i × period, taken by
 *  whichever connection is free; a late call's wait counts in its latency. */
asio::awaitable<void> scheduled_worker(resp_connection& c, driver_state& st, wait_group& g)
{
    for (;;) {
        auto at = st.schedule.next_due();
        if (!at) break;
        if (clock::now() < *at) co_await sleep_until(*at);
        bool answered = co_await call_once(c, st, *at);
        if (!answered) break;
    }
    g.done();
}

asio::awaitable<void> drive(std::vector<std::unique_ptr<resp_connection>>& conns, driver_state& st,
                            process_meter& meter, const std::string& script, double& elapsed)
{
    auto ex = co_await asio::this_coro::executor;
    for (auto& c : conns)
        if (!co_await c->connect(st.o.redis_port)) throw std::runtime_error("cannot connect to redis");
    // (A named vector: GCC 12 miscompiles a braced list inside co_await.)
    std::vector<std::string> load{"SCRIPT", "LOAD", script};
    auto loaded = co_await conns[0]->command(load);
    if (loaded.failed || loaded.is_error) throw std::runtime_error("SCRIPT LOAD failed: " + loaded.first);
    st.sha = loaded.first;
    // The first call must book: a refusal here means the script's KEYS/ARGV changed.
    auto first = book_call(st);
    auto probe = co_await conns[0]->command(first);
    if (probe.failed || probe.is_error || probe.first != "ok")
        throw std::runtime_error("book.lua did not book (" + probe.first + " " + probe.second +
                                 "): has its KEYS/ARGV layout changed? see server/store/scripts/booking_scripts.cpp");
    wait_group g(ex);
    meter.start();
    st.schedule.begin(st.o.duration_s, st.o.rate);
    for (auto& c : conns) {
        g.add();
        if (st.schedule.fixed_rate())
            asio::co_spawn(ex, scheduled_worker(*c, st, g), asio::detached);
        else
            asio::co_spawn(ex, worker(*c, st, g), asio::detached);
    }
    co_await g.wait();
    meter.stop();
    elapsed = seconds(st.schedule.deadline() - st.schedule.start());
}

void rethrow(std::exception_ptr e)
{
    if (e) std::rethrow_exception(e);
}

} // namespace

void run_book_script(const book_script_options& o, json_out& out)
{
    asio::io_context ioc(1);
    driver_state st(o);
    process_meter meter(o.pids);
    std::vector<std::unique_ptr<resp_connection>> conns;
    for (int i = 0; i < o.connections; ++i)
        conns.push_back(std::make_unique<resp_connection>(ioc.get_executor()));
    std::string script = script_source(o.script_path);
    double elapsed = 0;
    asio::co_spawn(ioc, drive(conns, st, meter, script, elapsed), rethrow);
    ioc.run();

    out.begin_object();
    out.key("connections").value(o.connections).key("sessions").value(static_cast<std::int64_t>(o.sessions.size()));
    out.key("script_sha").value(st.sha);
    out.key("duration_s").value(elapsed);
    out.key("calls").value(static_cast<std::int64_t>(st.calls));
    out.key("bookings").value(static_cast<std::int64_t>(st.ok));
    out.key("throughput").value(elapsed > 0 ? static_cast<double>(st.ok) / elapsed : 0.0);
    out.key("calls_per_s").value(elapsed > 0 ? static_cast<double>(st.calls) / elapsed : 0.0);
    out.key("rate_target").value(o.rate);
    out.key("refusals").begin_object();
    for (const auto& [k, n] : st.refusals)
        out.key(k).value(static_cast<std::int64_t>(n));
    out.end_object();
    out.key("first_error").value(st.first_error);
    out.key("latency_ms").latency(st.latency);
    out.key("processes");
    meter.write(out, static_cast<double>(st.calls));
    out.end_object();
}

} // namespace sp::bench
