#include "booking_load.hpp"

#include "http_connection.hpp"
#include "process_meter.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <map>
#include <memory>

namespace sp::bench {
namespace {

struct load_state {
    explicit load_state(const booking_load_options& opts) : o(opts) {}
    const booking_load_options& o;
    random_source rng{fresh_seed()};
    founder_factory founders{rng};
    load_schedule schedule;
    samples latency; // all-out: send to answer; fixed rate: scheduled to answer
    samples service; // send to answer (fixed rate only)
    std::map<int, std::uint64_t> status;
    std::uint64_t completed = 0, created = 0;
    std::string first_error;
};

asio::awaitable<void> book_once(http_connection& c, load_state& st, clock::time_point scheduled)
{
    http_reply r;
    auto sent = clock::now();
    if (st.o.get_path.empty()) {
        const auto& sid = st.o.sessions[st.rng.below(st.o.sessions.size())];
        std::string target = booking_target(sid), body = st.founders.next_body(),
                    key = st.founders.next_idempotency_key();
        sent = clock::now();
        r = co_await c.post(target, body, key);
    } else {
        r = co_await c.get(st.o.get_path);
    }
    auto done = clock::now();
    if (done > st.schedule.deadline()) co_return; // answered after the window: not counted
    ++st.completed;
    ++st.status[r.status];
    if (r.status == 201 || (r.status == 200 && !st.o.get_path.empty()))
        ++st.created;
    else if (st.first_error.empty())
        st.first_error = std::to_string(r.status) + " " + r.error + r.body.substr(0, 200);
    st.latency.add(micros(done - scheduled));
    if (st.o.rate > 0) st.service.add(micros(done - sent));
}

asio::awaitable<void> closed_loop(http_connection& c, load_state& st, wait_group& g)
{
    while (clock::now() < st.schedule.deadline())
        co_await book_once(c, st, clock::now());
    g.done();
}

asio::awaitable<void> open_loop(http_connection& c, load_state& st, wait_group& g)
{
    while (auto at = st.schedule.next_due()) {
        if (clock::now() < *at) co_await sleep_until(*at);
        co_await book_once(c, st, *at);
    }
    g.done();
}

asio::awaitable<void> connect_one(http_connection& c, int& connected, wait_group& g)
{
    connected += co_await c.connect() ? 1 : 0;
    g.done();
}

/** Opens every connection (in waves of 200, as a crowd of browsers would). */
asio::awaitable<int> connect_all(std::vector<std::unique_ptr<http_connection>>& conns)
{
    auto ex = co_await asio::this_coro::executor;
    int connected = 0;
    for (std::size_t i = 0; i < conns.size(); i += 200) {
        wait_group g(ex);
        for (std::size_t k = i; k < std::min(conns.size(), i + 200); ++k) {
            g.add();
            asio::co_spawn(ex, connect_one(*conns[k], connected, g), asio::detached);
        }
        co_await g.wait();
    }
    co_return connected;
}

asio::awaitable<void> load(std::vector<std::unique_ptr<http_connection>>& conns, load_state& st, process_meter& meter,
                           int& connected, double& elapsed)
{
    auto ex = co_await asio::this_coro::executor;
    connected = co_await connect_all(conns);
    wait_group g(ex);
    meter.start();
    st.schedule.begin(st.o.duration_s, st.o.rate);
    for (auto& c : conns) {
        g.add();
        if (st.schedule.fixed_rate())
            asio::co_spawn(ex, open_loop(*c, st, g), asio::detached);
        else
            asio::co_spawn(ex, closed_loop(*c, st, g), asio::detached);
    }
    co_await g.wait();
    meter.stop();
    elapsed = seconds(st.schedule.deadline() - st.schedule.start());
    for (auto& c : conns)
        c->close();
}

struct burst {
    std::string session;
    std::map<int, int> status;
    double elapsed_ms = 0;
    int taken_after = -1;
};

struct hot_state {
    explicit hot_state(const hot_slot_options& opts) : o(opts) {}
    const hot_slot_options& o;
    random_source rng{fresh_seed()};
    founder_factory founders{rng};
    std::vector<burst> bursts;
    samples latency;
    double busy_s = 0;
    int connected = 0;
    bool ok = true;
};

asio::awaitable<void> attempt(http_connection& c, const std::string& target, const std::string& body,
                              const std::string& key, burst& b, clock::time_point& last, samples& latency,
                              wait_group& g)
{
    auto sent = clock::now();
    http_reply r = co_await c.post(target, body, key);
    auto done = clock::now();
    last = std::max(last, done);
    latency.add(micros(done - sent));
    ++b.status[r.status];
    g.done();
}

asio::awaitable<void> hot(std::vector<std::unique_ptr<http_connection>>& conns, hot_state& st, process_meter& meter)
{
    auto ex = co_await asio::this_coro::executor;
    // Connections first, so a burst measures bookings, not TCP handshakes.
    st.connected = co_await connect_all(conns);
    http_connection probe(ex, st.o.port);
    meter.start();
    for (const auto& sid : st.o.sessions) {
        burst b;
        b.session = sid;
        std::string target = booking_target(sid);
        std::vector<std::string> bodies, keys;
        for (int i = 0; i < st.o.attempts; ++i) {
            bodies.push_back(st.founders.next_body());
            keys.push_back(st.founders.next_idempotency_key());
        }
        wait_group g(ex);
        auto t0 = clock::now();
        auto last = t0;
        for (std::size_t i = 0; i < conns.size(); ++i) {
            g.add();
            asio::co_spawn(ex, attempt(*conns[i], target, bodies[i], keys[i], b, last, st.latency, g), asio::detached);
        }
        co_await g.wait();
        b.elapsed_ms = seconds(last - t0) * 1000;
        st.busy_s += seconds(last - t0);
        b.taken_after = co_await read_taken(probe, sid);
        if (b.status[201] != st.o.seats || b.taken_after != st.o.seats) st.ok = false;
        st.bursts.push_back(std::move(b));
    }
    meter.stop();
    probe.close();
    for (auto& c : conns)
        c->close();
}

void rethrow(std::exception_ptr e)
{
    if (e) std::rethrow_exception(e);
}

} // namespace

void run_booking_load(const booking_load_options& o, json_out& out)
{
    asio::io_context ioc(1);
    load_state st(o);
    process_meter meter(o.pids);
    std::vector<std::unique_ptr<http_connection>> conns;
    for (int i = 0; i < o.connections; ++i)
        conns.push_back(std::make_unique<http_connection>(ioc.get_executor(), o.port));
    int connected = 0;
    double elapsed = 0;
    asio::co_spawn(ioc, load(conns, st, meter, connected, elapsed), rethrow);
    ioc.run();

    out.begin_object();
    out.key("connections").value(o.connections).key("connected").value(connected);
    out.key("sessions").value(static_cast<std::int64_t>(o.sessions.size()));
    out.key("duration_s").value(elapsed);
    out.key("rate_target").value(o.rate);
    out.key("requests").value(static_cast<std::int64_t>(st.completed));
    out.key("bookings").value(static_cast<std::int64_t>(st.created));
    out.key("throughput").value(elapsed > 0 ? static_cast<double>(st.created) / elapsed : 0.0);
    out.key("attempts_per_s").value(elapsed > 0 ? static_cast<double>(st.completed) / elapsed : 0.0);
    out.key("status").begin_object();
    for (auto [code, n] : st.status)
        out.key(std::to_string(code)).value(static_cast<std::int64_t>(n));
    out.end_object();
    out.key("first_error").value(st.first_error);
    out.key("latency_ms").latency(st.latency);
    if (o.rate > 0) out.key("service_ms").latency(st.service);
    out.key("processes");
    meter.write(out, static_cast<double>(st.completed));
    out.end_object();
}

bool run_hot_slot(const hot_slot_options& o, json_out& out)
{
    asio::io_context ioc(1);
    hot_state st(o);
    process_meter meter(o.pids);
    std::vector<std::unique_ptr<http_connection>> conns;
    for (int i = 0; i < o.attempts; ++i)
        conns.push_back(std::make_unique<http_connection>(ioc.get_executor(), o.port));
    asio::co_spawn(ioc, hot(conns, st, meter), rethrow);
    ioc.run();

    std::int64_t attempts = 0;
    out.begin_object();
    out.key("attempts_per_burst").value(o.attempts).key("connected").value(st.connected).key("seats").value(o.seats);
    out.key("bursts").begin_array();
    for (auto& b : st.bursts) {
        out.begin_object().key("session").value(b.session).key("elapsed_ms").value(b.elapsed_ms);
        out.key("taken_after").value(b.taken_after);
        out.key("status").begin_object();
        for (auto [code, n] : b.status) {
            out.key(std::to_string(code)).value(n);
            attempts += n;
        }
        out.end_object().end_object();
    }
    out.end_array();
    bool ok = st.ok && !st.bursts.empty();
    out.key("exactly_seats_every_time").value(ok);
    out.key("throughput").value(st.busy_s > 0 ? static_cast<double>(attempts) / st.busy_s : 0.0);
    out.key("latency_ms").latency(st.latency);
    out.key("processes");
    meter.write(out, static_cast<double>(attempts));
    out.end_object();
    return ok;
}

} // namespace sp::bench
