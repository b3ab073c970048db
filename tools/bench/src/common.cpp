#include "common.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <unistd.h>

namespace sp::bench {

asio::awaitable<void> sleep_for(clock::duration d)
{
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> sleep_until(clock::time_point at)
{
    asio::steady_timer t(co_await asio::this_coro::executor, at);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
}

void load_schedule::begin(double duration_s, double rate)
{
    start_ = clock::now();
    deadline_ = start_ + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(duration_s));
    period_ = rate > 0 ? std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(1.0 / rate))
                       : clock::duration{};
    next_ = 0;
}

std::optional<clock::time_point> load_schedule::next_due()
{
    auto at = start_ + period_ * static_cast<long>(next_++);
    if (at >= deadline_) return std::nullopt;
    return at;
}

asio::awaitable<void> wait_group::wait()
{
    while (n_ > 0) {
        timer_.expires_at(clock::time_point::max());
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

std::string random_source::hex(std::size_t n)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(n, '0');
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 16 == 0) bits = g_();
        out[i] = digits[bits & 15];
        bits >>= 4;
    }
    return out;
}

std::uint64_t fresh_seed()
{
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
           static_cast<std::uint64_t>(clock::now().time_since_epoch().count()) ^ static_cast<std::uint64_t>(::getpid());
}

void samples::merge(const samples& o)
{
    v_.insert(v_.end(), o.v_.begin(), o.v_.end());
    sorted_ = false;
}

double samples::percentile_ms(double p)
{
    if (v_.empty()) return 0;
    if (!sorted_) {
        std::sort(v_.begin(), v_.end());
        sorted_ = true;
    }
    // Nearest rank: the smallest value with at least p % of the samples at or below it.
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v_.size())));
    rank = std::clamp<std::size_t>(rank, 1, v_.size());
    return static_cast<double>(v_[rank - 1]) / 1000.0;
}

double samples::max_ms()
{
    return percentile_ms(100);
}

double samples::mean_ms() const
{
    if (v_.empty()) return 0;
    return std::accumulate(v_.begin(), v_.end(), 0.0) / static_cast<double>(v_.size()) / 1000.0;
}

version version::parse(std::string_view s)
{
    version v;
    auto dash = s.find('-');
    if (dash == std::string_view::npos) return v;
    std::from_chars(s.data(), s.data() + dash, v.ms);
    std::from_chars(s.data() + dash + 1, s.data() + s.size(), v.seq);
    return v;
}

void json_out::comma()
{
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.back()) out_ += ',';
    first_.back() = false;
}

json_out& json_out::begin_object()
{
    comma();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

json_out& json_out::end_object()
{
    out_ += '}';
    first_.pop_back();
    return *this;
}

json_out& json_out::begin_array()
{
    comma();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

json_out& json_out::end_array()
{
    out_ += ']';
    first_.pop_back();
    return *this;
}

json_out& json_out::key(std::string_view k)
{
    value(k);
    out_ += ':';
    after_key_ = true;
    return *this;
}

json_out& json_out::value(std::string_view v)
{
    comma();
    out_ += '"';
    for (char c : v) {
        if (c == '"' || c == '\\') {
            out_ += '\\';
            out_ += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out_ += buf;
        } else {
            out_ += c;
        }
    }
    out_ += '"';
    return *this;
}

json_out& json_out::value(double v)
{
    comma();
    if (!std::isfinite(v)) {
        out_ += "null";
        return *this;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    out_ += buf;
    return *this;
}

json_out& json_out::value(std::int64_t v)
{
    comma();
    out_ += std::to_string(v);
    return *this;
}

json_out& json_out::value(bool v)
{
    comma();
    out_ += v ? "true" : "false";
    return *this;
}

json_out& json_out::latency(samples& s)
{
    begin_object();
    key("count").value(static_cast<std::int64_t>(s.count()));
    key("p50").value(s.percentile_ms(50));
    key("p90").value(s.percentile_ms(90));
    key("p99").value(s.percentile_ms(99));
    key("p999").value(s.percentile_ms(99.9));
    key("max").value(s.max_ms());
    key("mean").value(s.mean_ms());
    return end_object();
}

std::vector<std::string> split(std::string_view s, char sep)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto end = s.find(sep, start);
        if (end == std::string_view::npos) end = s.size();
        if (end > start) out.emplace_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

namespace {
const auto started = clock::now();
}

void note(const std::string& text)
{
    const auto t0 = started;
    std::fprintf(stderr, "[bench %6.1fs] %s\n", seconds(clock::now() - t0), text.c_str());
}

} // namespace sp::bench
