#include "live_fleet.hpp"

#include "http_connection.hpp"
#include "live_client.hpp"
#include "process_meter.hpp"
#include "redis_checks.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <cmath>
#include <stdexcept>
#include <thread>

namespace sp::bench {
namespace {

clock::duration secs(double s)
{
    return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s));
}

/** The value of one sample line ("name value") of a Prometheus text, or -1. */
double metric_value(const std::string& text, const std::string& name)
{
    auto at = text.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::atof(text.c_str() + at + name.size() + 2);
}

/** Runs `task`, then counts it done. */
asio::awaitable<void> then_done(asio::awaitable<void> task, wait_group& g)
{
    co_await std::move(task);
    g.done();
}

void rethrow(std::exception_ptr e)
{
    if (e) std::rethrow_exception(e);
}

} // namespace

live_fleet::live_fleet(asio::any_io_executor ex, std::vector<std::uint16_t> ports, std::string subscribe_text,
                       std::vector<std::string> session_ids)
    : ex_(std::move(ex)), ports_(std::move(ports)), subscribe_(std::move(subscribe_text)), ids_(std::move(session_ids)),
      pool_(ports_.size()), founders_(std::make_unique<founder_factory>(rng_)), truth_(ids_.size(), 0),
      in_flight_(ids_.size(), false), uncertain_(ids_.size(), false), track_(ids_.size())
{
    for (std::size_t i = 0; i < ids_.size(); ++i)
        index_[ids_[i]] = static_cast<int>(i);
}

live_fleet::~live_fleet() = default;

int live_fleet::index_of(std::string_view session_id) const
{
    auto it = index_.find(std::string(session_id));
    return it == index_.end() ? -1 : it->second;
}

void live_fleet::delivered(int s, int taken, int instance, clock::time_point at)
{
    ++deliveries_;
    if (!tracking_) return;
    auto& per_session = track_[static_cast<std::size_t>(s)];
    if (taken < 0 || static_cast<std::size_t>(taken) >= per_session.size()) return;
    auto& u = per_session[static_cast<std::size_t>(taken)];
    if (u.sent == clock::time_point{}) return;
    auto us = micros(at - u.sent);
    delivery_.add(us);
    (instance == u.instance ? same_ : cross_).add(us);
    ++u.arrivals;
    u.last = std::max(u.last, at);
}

void live_fleet::count_error(std::string_view text)
{
    ++errors_;
    if (first_error_.empty()) first_error_ = std::string(text);
}

void live_fleet::reset_phase()
{
    for (auto& c : clients_)
        c->reset_disturbed();
    delivery_.clear();
    booking_.clear();
    same_.clear();
    cross_.clear();
    phase_updates_.clear();
    deliveries_ = messages_ = duplicates_ = reorders_ = skipped_ = overlaps_ = errors_ = resyncs_ = 0;
    bookings_ = booking_failures_ = mismatches_ = driver_skips_ = connect_failures_ = 0;
}

asio::awaitable<bool> live_fleet::grow_to(int n, int receive_buffer, bool stall_when_live, int parallel)
{
    auto deadline = clock::now() + std::chrono::seconds(30) + std::chrono::milliseconds(3) * n;
    while (static_cast<int>(clients_.size()) < n) {
        // Bounded like a real crowd arriving: at most `parallel` clients not yet live.
        while (static_cast<int>(clients_.size()) - live_count_ >= parallel && clock::now() < deadline)
            co_await sleep_for(std::chrono::milliseconds(1));
        int instance = static_cast<int>(clients_.size() % ports_.size());
        auto c = std::make_shared<live_client>(ex_, *this, instance, receive_buffer, stall_when_live);
        clients_.push_back(c);
        c->start();
    }
    while (live_count_ < static_cast<int>(clients_.size()) && clock::now() < deadline)
        co_await sleep_for(std::chrono::milliseconds(10));
    co_return live_count_ >= static_cast<int>(clients_.size());
}

asio::awaitable<void> live_fleet::close_clients(std::size_t first, std::size_t count)
{
    count = std::min(count, clients_.size() - first);
    for (std::size_t i = first; i < first + count; ++i)
        clients_[i]->close();
    clients_.erase(clients_.begin() + static_cast<long>(first), clients_.begin() + static_cast<long>(first + count));
    auto deadline = clock::now() + std::chrono::seconds(10);
    while (running_ > static_cast<int>(clients_.size()) && clock::now() < deadline)
        co_await sleep_for(std::chrono::milliseconds(5));
}

asio::awaitable<void> live_fleet::close_all()
{
    co_await close_clients(0, clients_.size());
    for (auto& per_instance : pool_)
        for (auto& p : per_instance)
            p->conn->close();
}

asio::awaitable<bool> live_fleet::load_truth()
{
    auto& p = idle_connection(0);
    p.busy = true;
    bool ok = true;
    for (std::size_t s = 0; s < ids_.size(); ++s) {
        truth_[s] = co_await read_taken(*p.conn, ids_[s]);
        ok = ok && truth_[s] >= 0;
    }
    p.busy = false;
    co_return ok;
}

live_fleet::pooled& live_fleet::idle_connection(int instance)
{
    auto& per_instance = pool_[static_cast<std::size_t>(instance)];
    for (auto& p : per_instance)
        if (!p->busy) return *p;
    auto p = std::make_unique<pooled>();
    p->conn = std::make_unique<http_connection>(ex_, book_port_ ? book_port_ : ports_[static_cast<std::size_t>(instance)]);
    per_instance.push_back(std::move(p));
    return *per_instance.back();
}

asio::awaitable<void> live_fleet::book_one(int s, int instance)
{
    auto i = static_cast<std::size_t>(s);
    in_flight_[i] = true;
    if (uncertain_[i]) {
        // The last booking here failed without an answer (e.g. 503 after a Redis
        // deadline): it may have happened after all, so read what the session holds.
        auto& p = idle_connection(instance);
        p.busy = true;
        int t = co_await read_taken(*p.conn, ids_[i]);
        p.busy = false;
        if (t < 0) {
            in_flight_[i] = false;
            co_return;
        }
        truth_[i] = t;
        uncertain_[i] = false;
    }
    int predicted = truth_[i] + 1;
    auto& per_session = track_[i];
    if (per_session.size() <= static_cast<std::size_t>(predicted))
        per_session.resize(static_cast<std::size_t>(predicted) + 1);
    per_session[static_cast<std::size_t>(predicted)] = update_track{clock::now(), instance, 0, {}};
    if (tracking_) phase_updates_.emplace_back(s, predicted);
    auto& p = idle_connection(instance);
    p.busy = true;
    std::string target = booking_target(ids_[i]), body = founders_->next_body(),
                key = founders_->next_idempotency_key();
    auto sent = clock::now();
    http_reply r = co_await p.conn->post(target, body, key);
    if (tracking_) booking_.add(micros(clock::now() - sent));
    p.busy = false;
    if (r.status == 201) {
        ++bookings_;
        int t = taken_in_booking(r.body);
        if (t != predicted) {
            // Someone else booked in between: the timing of this session is unknown.
            ++mismatches_;
            ok_ = false;
            count_error("seats taken " + std::to_string(t) + " after a booking, expected " + std::to_string(predicted));
        }
        truth_[i] = t >= 0 ? t : predicted;
    } else {
        ++booking_failures_;
        uncertain_[i] = true;
        track_[i][static_cast<std::size_t>(predicted)].sent = {};
        count_error("booking answered " + std::to_string(r.status) + " " + r.error + r.body.substr(0, 160));
    }
    in_flight_[i] = false;
}

asio::awaitable<void> live_fleet::drive(double rate, clock::time_point until, const bool* stop)
{
    auto period = secs(1.0 / rate);
    auto start = clock::now();
    std::size_t next_session = 0;
    for (long i = 0;; ++i) {
        auto at = start + period * i;
        if (at >= until || (stop && *stop)) break;
        if (clock::now() < at) co_await sleep_until(at);
        if (stop && *stop) break;
        // Round-robin, one booking in flight per session, so the seats taken after a
        // booking name it exactly.
        int chosen = -1;
        for (std::size_t k = 0; k < ids_.size() && chosen < 0; ++k) {
            std::size_t s = (next_session + k) % ids_.size();
            if (!in_flight_[s]) chosen = static_cast<int>(s);
        }
        next_session = (next_session + 1) % ids_.size();
        if (chosen < 0) {
            ++driver_skips_;
            continue;
        }
        int instance = ports_.size() > 1 ? static_cast<int>(i % static_cast<long>(ports_.size())) : 0;
        asio::co_spawn(ex_, book_one(chosen, instance), asio::detached);
    }
    auto deadline = clock::now() + std::chrono::seconds(30);
    while (std::any_of(in_flight_.begin(), in_flight_.end(), [](bool b) { return b; }) && clock::now() < deadline)
        co_await sleep_for(std::chrono::milliseconds(2));
}

int live_fleet::steady_clients() const
{
    int n = 0;
    for (const auto& c : clients_)
        n += c->live() && !c->stalled() && !c->disturbed() ? 1 : 0;
    return n;
}

asio::awaitable<void> live_fleet::drain(clock::duration timeout)
{
    auto deadline = clock::now() + timeout;
    for (;;) {
        int expected = steady_clients();
        bool all = true;
        for (auto [s, t] : phase_updates_) {
            const auto& u = track_[static_cast<std::size_t>(s)][static_cast<std::size_t>(t)];
            if (u.sent != clock::time_point{} && u.arrivals < expected) {
                all = false;
                break;
            }
        }
        if (all || clock::now() >= deadline) co_return;
        co_await sleep_for(std::chrono::milliseconds(10));
    }
}

asio::awaitable<void> live_fleet::refresh_uncertain(clock::time_point deadline)
{
    // A booking answered 503 may have happened after all: read what the session holds,
    // again and again while the server is too busy to answer.
    for (;;) {
        bool pending = false;
        for (std::size_t s = 0; s < ids_.size(); ++s) {
            if (!uncertain_[s] || in_flight_[s]) continue;
            auto& p = idle_connection(0);
            p.busy = true;
            int t = co_await read_taken(*p.conn, ids_[s]);
            p.busy = false;
            if (t >= 0) {
                truth_[s] = t;
                uncertain_[s] = false;
            } else {
                pending = true;
            }
        }
        if (!pending || clock::now() >= deadline) co_return;
        co_await sleep_for(std::chrono::milliseconds(200));
    }
}

int live_fleet::lost_states() const
{
    int lost = 0;
    for (const auto& c : clients_) {
        if (!c->live() || c->stalled()) continue;
        for (std::size_t s = 0; s < truth_.size(); ++s)
            if (!uncertain_[s] && c->taken()[s] != truth_[s]) ++lost; // an unknown truth judges no one
    }
    return lost;
}

asio::awaitable<std::string> live_fleet::metrics_text()
{
    auto& p = idle_connection(0);
    p.busy = true;
    std::string target = "/metrics";
    http_reply r = co_await p.conn->get(target);
    p.busy = false;
    co_return r.body;
}

asio::awaitable<void> live_fleet::rate_phase(json_out& out, const std::string& label, double rate, double duration_s,
                                             process_meter& meter)
{
    reset_phase();
    strict_ = true;
    tracking_ = true;
    int at_start = steady_clients();
    std::string before = co_await metrics_text();
    meter.start();
    auto t0 = clock::now();
    co_await drive(rate, t0 + secs(duration_s), nullptr);
    auto sent_all = clock::now();
    auto settle_deadline = sent_all + std::chrono::seconds(30);
    co_await refresh_uncertain(settle_deadline);
    co_await drain(std::chrono::seconds(5));
    // An overloaded server is seconds behind: wait until every reading client holds the
    // true state before judging anything lost (and before the next phase starts).
    while (lost_states() > 0 && clock::now() < settle_deadline)
        co_await sleep_for(std::chrono::milliseconds(20));
    double settle_s = seconds(clock::now() - sent_all);
    meter.stop();
    tracking_ = false;
    std::string after = co_await metrics_text();
    int expected = steady_clients();
    int reconnected = 0;
    for (const auto& c : clients_)
        reconnected += c->disturbed() ? 1 : 0;

    samples last_socket;
    int updates = 0, incomplete = 0;
    for (auto [s, t] : phase_updates_) {
        const auto& u = track_[static_cast<std::size_t>(s)][static_cast<std::size_t>(t)];
        if (u.sent == clock::time_point{}) continue;
        ++updates;
        if (u.arrivals >= expected)
            last_socket.add(micros(u.last - u.sent));
        else
            ++incomplete;
    }
    int lost = lost_states();
    total_lost_ += static_cast<std::uint64_t>(lost);
    total_duplicates_ += duplicates_;
    total_reorders_ += reorders_;
    total_skipped_ += skipped_;
    if (lost || duplicates_ || reorders_) ok_ = false;

    double server_cpu = meter.cpu_s("server") + meter.cpu_s("server2");
    out.key("label").value(label).key("rate").value(rate).key("duration_s").value(duration_s);
    out.key("sockets").value(at_start).key("steady_sockets").value(expected);
    out.key("reconnected_sockets").value(reconnected);
    out.key("instances").value(static_cast<std::int64_t>(ports_.size()));
    out.key("bookings").value(static_cast<std::int64_t>(bookings_));
    out.key("booking_failures").value(static_cast<std::int64_t>(booking_failures_));
    out.key("updates").value(updates).key("incomplete_updates").value(incomplete);
    out.key("deliveries").value(static_cast<std::int64_t>(deliveries_));
    out.key("expected_deliveries").value(static_cast<std::int64_t>(updates) * expected);
    out.key("lost").value(lost).key("skipped").value(static_cast<std::int64_t>(skipped_));
    out.key("duplicates").value(static_cast<std::int64_t>(duplicates_));
    out.key("reorders").value(static_cast<std::int64_t>(reorders_));
    out.key("driver_skips").value(static_cast<std::int64_t>(driver_skips_));
    out.key("settle_s").value(settle_s);
    out.key("errors").value(static_cast<std::int64_t>(errors_)).key("first_error").value(first_error_);
    out.key("resyncs").value(static_cast<std::int64_t>(resyncs_));
    out.key("delivery_ms").latency(delivery_);
    out.key("booking_ms").latency(booking_);
    if (ports_.size() > 1) {
        out.key("same_instance_ms").latency(same_);
        out.key("cross_instance_ms").latency(cross_);
    }
    out.key("last_socket_ms").latency(last_socket);
    out.key("server_cpu_us_per_delivery")
        .value(deliveries_ ? server_cpu * 1e6 / static_cast<double>(deliveries_) : 0.0);
    auto delta = [&](const char* name) {
        double a = metric_value(after, name), b = metric_value(before, name);
        return a < 0 || b < 0 ? std::nan("") : a - b; // null when /metrics did not answer
    };
    out.key("coalesced_by_server").value(delta("sp_live_coalesced_total"));
    out.key("slow_closes_by_server").value(delta("sp_live_slow_closes_total"));
    int unknown = 0;
    for (bool u : uncertain_)
        unknown += u ? 1 : 0;
    out.key("sessions_with_unknown_truth").value(unknown);
    out.key("processes");
    meter.write(out, static_cast<double>(deliveries_));
}

asio::awaitable<void> live_fleet::stall_phase(json_out& out, double rate, double duration_s, double fraction,
                                              process_meter& meter)
{
    std::size_t n = clients_.size();
    auto stalled = static_cast<std::size_t>(std::max(1.0, std::round(static_cast<double>(n) * fraction)));
    // Replace the first `stalled` clients by ones that stop reading after their snapshot.
    co_await close_clients(0, stalled);
    bool up = co_await grow_to(static_cast<int>(n), 4096, true);
    co_await sleep_for(std::chrono::milliseconds(300));
    int server = meter.pid("server");
    process_sample before = sample_process(server);
    out.key("stalled").value(static_cast<std::int64_t>(stalled)).key("stallers_up").value(up);
    co_await rate_phase(out, "b7", rate, duration_s, meter);
    process_sample after = sample_process(server);
    out.key("server_rss_before_kib").value(static_cast<std::int64_t>(before.rss_kib));
    out.key("server_rss_after_kib").value(static_cast<std::int64_t>(after.rss_kib));
    out.key("server_rss_growth_kib").value(static_cast<std::int64_t>(after.rss_kib - before.rss_kib));
    // Back to a fleet of readers.
    co_await close_clients(n - stalled, stalled);
    co_await grow_to(static_cast<int>(n));
}

asio::awaitable<void> live_fleet::healthz_probe(std::uint16_t port, const std::atomic<bool>* stop, samples& out,
                                                int& failures)
{
    auto ex = co_await asio::this_coro::executor;
    while (!*stop) {
        auto t0 = clock::now();
        http_connection c(ex, port);
        std::string target = "/healthz";
        http_reply r = co_await c.get(target); // a fresh connection, as a load balancer's check
        auto t1 = clock::now();
        if (r.status == 200)
            out.add(micros(t1 - t0));
        else
            ++failures;
        c.close();
        co_await sleep_until(t0 + std::chrono::milliseconds(20));
    }
}

asio::awaitable<void> live_fleet::storm_phase(json_out& out, double rate, process_meter& meter)
{
    reset_phase();
    strict_ = false; // around a resubscription a change may come twice: keep the newest
    tracking_ = false;
    int n = static_cast<int>(clients_.size());
    bool stop_driver = false;
    std::atomic<bool> stop_probe{false};
    wait_group g(ex_);
    g.add(1);
    asio::co_spawn(ex_, then_done(drive(rate, clock::time_point::max(), &stop_driver), g), asio::detached);
    co_await sleep_for(std::chrono::seconds(1));

    meter.start();
    // The storm's own window (dropped until all are back), apart from the settling after
    // it: what each process and the whole machine spent while the sockets came back.
    process_meter window = meter;
    window.start();
    machine_sample machine_before = sample_machine();
    auto dropped = clock::now();
    for (auto& c : clients_)
        c->drop();
    samples health, management_health;
    int health_failures = 0, management_failures = 0;
    asio::io_context probe_context;
    asio::co_spawn(probe_context, healthz_probe(ports_[0], &stop_probe, health, health_failures), asio::detached);
    if (management_port_)
        asio::co_spawn(probe_context, healthz_probe(management_port_, &stop_probe, management_health, management_failures),
                       asio::detached);
    std::thread prober([&] { probe_context.run(); });
    auto back = [&] {
        int k = 0;
        for (const auto& c : clients_)
            k += c->live() && c->back_at() > dropped ? 1 : 0;
        return k;
    };
    auto deadline = dropped + std::chrono::seconds(20);
    while (back() < n && clock::now() < deadline)
        co_await sleep_for(std::chrono::milliseconds(10));
    auto all_back = clock::now();
    window.stop();
    machine_sample machine_after = sample_machine();
    stop_probe = true;
    co_await sleep_for(std::chrono::milliseconds(500));
    prober.join(); // its last probe is done by now
    stop_driver = true;
    co_await g.wait();
    co_await refresh_uncertain(clock::now() + std::chrono::seconds(30));
    // Every client must now hold the true state (live changes plus what its resume brought).
    auto settle = clock::now() + std::chrono::seconds(30);
    while (lost_states() > 0 && clock::now() < settle)
        co_await sleep_for(std::chrono::milliseconds(20));
    meter.stop();

    samples back_ms;
    int never = 0, within_5s = 0, resumed = 0;
    for (const auto& c : clients_) {
        if (c->live() && c->back_at() > dropped) {
            back_ms.add(micros(c->back_at() - dropped));
            within_5s += c->back_at() - dropped <= std::chrono::seconds(5) ? 1 : 0;
            resumed += c->back_by_resume() ? 1 : 0;
        } else {
            ++never;
        }
    }
    int lost = lost_states();
    total_lost_ += static_cast<std::uint64_t>(lost);
    if (lost || never) ok_ = false;
    strict_ = true;

    out.key("label").value("b5").key("sockets").value(n).key("rate").value(rate);
    out.key("back_ms").latency(back_ms);
    out.key("back_within_5s").value(n ? static_cast<double>(within_5s) / n : 0.0);
    out.key("never_back").value(never).key("resumed").value(resumed).key("snapshots").value(n - never - resumed);
    out.key("all_back_s").value(seconds(all_back - dropped));
    out.key("connect_failures").value(static_cast<std::int64_t>(connect_failures_));
    out.key("healthz_ms").latency(health);
    out.key("healthz_failures").value(health_failures);
    if (management_port_) {
        out.key("management_healthz_ms").latency(management_health);
        out.key("management_healthz_failures").value(management_failures);
    }
    out.key("bookings").value(static_cast<std::int64_t>(bookings_));
    out.key("booking_failures").value(static_cast<std::int64_t>(booking_failures_));
    out.key("lost").value(lost).key("overlaps").value(static_cast<std::int64_t>(overlaps_));
    out.key("resyncs").value(static_cast<std::int64_t>(resyncs_));
    out.key("errors").value(static_cast<std::int64_t>(errors_)).key("first_error").value(first_error_);
    out.key("processes");
    meter.write(out, static_cast<double>(n));
    out.key("window_processes");
    window.write(out, static_cast<double>(n));
    double window_s = seconds(all_back - dropped);
    out.key("machine").begin_object();
    out.key("cores").value(machine_after.cores);
    out.key("window_s").value(window_s);
    // Cores busy on average during the window, of `cores` (every process, this one too).
    out.key("busy_cores").value(window_s > 0 ? (machine_after.busy_s - machine_before.busy_s) / window_s : 0.0);
    out.key("steal_cores").value(window_s > 0 ? (machine_after.steal_s - machine_before.steal_s) / window_s : 0.0);
    out.end_object();
}

void live_fleet::write_totals(json_out& out) const
{
    out.key("lost").value(static_cast<std::int64_t>(total_lost_));
    out.key("duplicates").value(static_cast<std::int64_t>(total_duplicates_));
    out.key("reorders").value(static_cast<std::int64_t>(total_reorders_));
    out.key("skipped").value(static_cast<std::int64_t>(total_skipped_));
    out.key("first_connect_failure").value(first_connect_failure_);
    out.key("ok").value(ok_);
}

// ------------------------------------------------------------------ entry points

namespace {

asio::awaitable<void> live_plan(live_fleet& fleet, const live_options& o, process_meter& meter, json_out& out, bool& ok)
{
    if (!co_await fleet.load_truth()) throw std::runtime_error("cannot read the watched sessions");
    auto t0 = clock::now();
    bool up = co_await fleet.grow_to(o.sockets);
    out.begin_object();
    out.key("sockets").value(o.sockets).key("live").value(fleet.live_count()).key("all_up").value(up);
    out.key("sessions_watched").value(static_cast<std::int64_t>(fleet.sessions()));
    out.key("connect_s").value(seconds(clock::now() - t0));
    out.key("connect_failures").value(static_cast<std::int64_t>(fleet.connect_failures()));
    note("live: " + std::to_string(fleet.live_count()) + " sockets subscribed in " +
         std::to_string(seconds(clock::now() - t0)) + " s");
    out.key("phases").begin_array();
    for (const auto& step : split(o.plan, ',')) {
        auto f = split(step, ':');
        out.begin_object().key("step").value(step);
        note("live: " + step);
        // Plain locals for co_await arguments: GCC 12 frees a temporary made by ?: twice.
        std::string label = "b3";
        if (f.size() > 3) label = f[3];
        if (f[0] == "rate" && f.size() >= 3) {
            co_await fleet.rate_phase(out, label, std::stod(f[1]), std::stod(f[2]), meter);
        } else if (f[0] == "stall" && f.size() >= 4) {
            co_await fleet.stall_phase(out, std::stod(f[1]), std::stod(f[2]), std::stod(f[3]), meter);
        } else if (f[0] == "storm" && f.size() >= 2) {
            co_await fleet.storm_phase(out, std::stod(f[1]), meter);
        } else {
            throw std::runtime_error("unknown plan step " + step);
        }
        out.end_object();
    }
    out.end_array();
    fleet.write_totals(out);
    out.end_object();
    ok = up && fleet.ok();
    co_await fleet.close_all();
}

asio::awaitable<void> idle_steps(live_fleet& fleet, const idle_options& o, int server, json_out& out)
{
    // A few sockets first, so one-time allocations are in the baseline.
    co_await fleet.grow_to(20);
    co_await fleet.close_all();
    co_await sleep_for(std::chrono::milliseconds(500));
    process_sample base = sample_process(server);
    out.begin_object();
    out.key("baseline_rss_kib").value(static_cast<std::int64_t>(base.rss_kib));
    out.key("steps").begin_array();
    for (int n : o.steps) {
        bool up = co_await fleet.grow_to(n);
        co_await sleep_for(std::chrono::seconds(1));
        process_sample s = sample_process(server);
        process_sample self = sample_process(0);
        double per = n > 0 ? static_cast<double>(s.rss_kib - base.rss_kib) / n : 0;
        note("idle: " + std::to_string(n) + " sockets, server RSS " + std::to_string(s.rss_kib) + " KiB");
        out.begin_object().key("sockets").value(n).key("live").value(fleet.live_count()).key("all_up").value(up);
        out.key("rss_kib").value(static_cast<std::int64_t>(s.rss_kib));
        out.key("per_socket_kib").value(per);
        out.key("loadgen_rss_kib").value(static_cast<std::int64_t>(self.rss_kib));
        out.end_object();
    }
    out.end_array().end_object();
    co_await fleet.close_all();
}

} // namespace

bool run_live(const live_options& o, json_out& out)
{
    asio::io_context ioc(1);
    auto ids = list_sessions(o.redis_port, o.prefix, "camp:" + o.camp + ":sessions", 0);
    if (ids.empty()) throw std::runtime_error("camp " + o.camp + " has no sessions to watch");
    std::string sub = R"({"op":"subscribe","id":"v","view":{"type":"camp_day","camp":")" + o.camp + R"(","date":")" +
                      o.date + R"("}})";
    live_fleet fleet(ioc.get_executor(), o.ports, sub, ids);
    fleet.set_management_port(o.management_port);
    fleet.set_book_port(o.book_port);
    process_meter meter(o.pids);
    bool ok = false;
    asio::co_spawn(ioc, live_plan(fleet, o, meter, out, ok), rethrow);
    ioc.run();
    return ok;
}

void run_idle(const idle_options& o, json_out& out)
{
    asio::io_context ioc(1);
    std::string sub = R"({"op":"subscribe","id":"e","view":{"type":"event","event":")" + o.event + R"("}})";
    live_fleet fleet(ioc.get_executor(), {o.port}, sub, {o.event});
    process_meter meter(o.pids);
    asio::co_spawn(ioc, idle_steps(fleet, o, meter.pid("server"), out), rethrow);
    ioc.run();
}

} // namespace sp::bench
