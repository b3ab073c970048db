#pragma once
/** Counters the HTTP layer keeps for /metrics. Relaxed atomics: each is independent. */
#include <array>
#include <atomic>
#include <cstdint>

namespace sp::http {

struct server_metrics {
    std::atomic<std::uint64_t> connections_accepted{0};
    std::atomic<std::uint64_t> connections_rejected{0}; // over http.max_connections
    std::array<std::atomic<std::uint64_t>, 6> responses_by_class{}; // index = status / 100
    std::atomic<std::uint64_t> bad_requests{0};                      // unparseable or over a limit

    void count_response(unsigned status)
    {
        auto i = status / 100;
        if (i < responses_by_class.size()) responses_by_class[i].fetch_add(1, std::memory_order_relaxed);
    }
};

} // namespace sp::http
