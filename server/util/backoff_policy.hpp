#pragma once
/**
 * Capped exponential backoff with full jitter, as a plain value: no timers, no I/O.
 * The Redis link asks it how long to wait before the next reconnect attempt and
 * resets it after a successful connect; tests drive it directly with a seeded RNG.
 * Not thread-safe: each owner keeps its own copy.
 */
#include <chrono>
#include <cstdint>
#include <random>

namespace sp::util {

class backoff_policy {
public:
    using duration = std::chrono::milliseconds;

    backoff_policy(duration initial, duration max, std::uint64_t seed = std::random_device{}())
        : initial_(initial), max_(max < initial ? initial : max), rng_(seed)
    {
    }

    /** Delay before the next attempt: uniform in [ceiling/2, ceiling], the ceiling
     *  doubling per failed attempt from `initial` up to `max`. The lower half-bound keeps
     *  a fleet of instances from hammering a recovering Redis in lock step while never
     *  retrying faster than half the nominal delay. */
    duration next()
    {
        duration ceiling = current_ceiling();
        if (attempts_ < 63) ++attempts_;
        std::uniform_int_distribution<std::int64_t> dist(ceiling.count() / 2, ceiling.count());
        return duration(dist(rng_));
    }

    /** The upper bound next() would draw from, without drawing. */
    duration current_ceiling() const
    {
        std::int64_t c = initial_.count();
        for (unsigned i = 0; i < attempts_ && c < max_.count(); ++i) c *= 2;
        return duration(c < max_.count() ? c : max_.count());
    }

    void reset() { attempts_ = 0; }
    unsigned attempts() const { return attempts_; }

private:
    duration initial_;
    duration max_;
    unsigned attempts_ = 0;
    std::mt19937_64 rng_;
};

} // namespace sp::util
