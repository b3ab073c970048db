#pragma once
/**
 * What every part of the load generator shares: the clock, a fast random source,
 * latency samples with exact percentiles, change-log versions, timers as awaitables,
 * and a small JSON writer for the one result object the tool prints. The tool runs on
 * one thread (one io_context), so nothing here locks.
 */
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace sp::bench {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

inline std::int64_t micros(clock::duration d)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}
inline double seconds(clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

asio::awaitable<void> sleep_for(clock::duration d);
asio::awaitable<void> sleep_until(clock::time_point t);

/** When a load's requests go out: all-out until the deadline (each connection sends its
 *  next as soon as it has the answer), or at a fixed rate, request i due at start + i ×
 *  period whichever connection takes it, a late request's wait counted in its latency.
 *  One per load, used from one thread. */
class load_schedule {
public:
    /** Starts now, for `duration_s`; `rate` requests a second, 0 for all-out. */
    void begin(double duration_s, double rate);
    bool fixed_rate() const { return period_.count() > 0; }
    clock::time_point start() const { return start_; }
    clock::time_point deadline() const { return deadline_; }
    /** Fixed rate: when the next request is due, or nullopt once that is past the end. */
    std::optional<clock::time_point> next_due();

private:
    clock::time_point start_, deadline_;
    clock::duration period_{};
    std::uint64_t next_ = 0;
};

/** mt19937_64: a few ns a number, plenty for picking sessions and making ids. */
class random_source {
public:
    explicit random_source(std::uint64_t seed) : g_(seed) {}
    std::uint64_t next() { return g_(); }
    std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(g_() % n) : 0; }
    double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(g_); }
    /** `n` lowercase hex digits. */
    std::string hex(std::size_t n);

private:
    std::mt19937_64 g_;
};

/** A seed that differs between runs (and between processes on one Redis). */
std::uint64_t fresh_seed();

/** Latencies in microseconds; percentiles are exact (sorted on demand). */
class samples {
public:
    void add(std::int64_t us) { v_.push_back(us < 0 ? 0 : us), sorted_ = false; }
    void merge(const samples& o);
    std::size_t count() const { return v_.size(); }
    /** p in [0, 100]; 0 when empty. In milliseconds. */
    double percentile_ms(double p);
    double max_ms();
    double mean_ms() const;
    void clear() { v_.clear(), sorted_ = true; }

private:
    std::vector<std::int64_t> v_;
    bool sorted_ = true;
};

/** A change-log id "ms-seq" (the live protocol's version). */
struct version {
    std::uint64_t ms = 0, seq = 0;
    static version parse(std::string_view s);
    std::string str() const { return std::to_string(ms) + "-" + std::to_string(seq); }
    bool empty() const { return ms == 0 && seq == 0; }
    auto operator<=>(const version&) const = default;
};

/** A JSON writer for the result object: commas and nesting handled, numbers as given. */
class json_out {
public:
    json_out& begin_object();
    json_out& end_object();
    json_out& begin_array();
    json_out& end_array();
    json_out& key(std::string_view k);
    json_out& value(std::string_view v);
    json_out& value(const char* v) { return value(std::string_view(v)); }
    json_out& value(const std::string& v) { return value(std::string_view(v)); }
    json_out& value(double v);
    json_out& value(std::int64_t v);
    json_out& value(int v) { return value(static_cast<std::int64_t>(v)); }
    json_out& value(std::uint64_t v) { return value(static_cast<std::int64_t>(v)); }
    json_out& value(bool v);
    /** Writes {"p50":…,"p90":…,"p99":…,"p999":…,"max":…,"count":…} in ms. */
    json_out& latency(samples& s);
    const std::string& str() const { return out_; }

private:
    void comma();
    std::string out_;
    std::vector<bool> first_{true};
    bool after_key_ = false;
};

/** Waits for a number of spawned coroutines: add() before spawning, done() when each
 *  ends, co_await wait() until the count is back to zero. */
class wait_group {
public:
    explicit wait_group(asio::any_io_executor ex) : timer_(std::move(ex)) {}
    void add(int n = 1) { n_ += n; }
    void done()
    {
        if (--n_ == 0) timer_.cancel();
    }
    int pending() const { return n_; }
    asio::awaitable<void> wait();

private:
    asio::steady_timer timer_;
    int n_ = 0;
};

/** Splits "a,b,c" (empty parts dropped). */
std::vector<std::string> split(std::string_view s, char sep);

/** Progress lines on stderr, prefixed with the seconds since start. */
void note(const std::string& text);

} // namespace sp::bench
