#pragma once
/** The limits of the live WebSocket layer, from config [live]. */
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace sp::live {

struct live_settings {
    std::size_t max_message_bytes = 64 * 1024;
    std::size_t max_subscriptions = 20;
    std::size_t max_sockets_per_address = 50;
    double max_messages_per_second = 20;
    std::chrono::milliseconds idle_timeout{60'000};
    std::size_t queue_max_bytes = 1024 * 1024;
    std::chrono::milliseconds slow_consumer_grace{5'000};
    std::vector<std::string> allowed_origins; // empty: only requests without Origin
    std::size_t resume_max_entries = 10'000;
    std::size_t max_concurrent_opens = 64;  // handshakes and subscribes worked on at once
    std::size_t max_waiting_opens = 20'000; // waiting their turn; more are turned away
};

} // namespace sp::live
