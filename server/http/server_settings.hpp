#pragma once
/** The limits and timeouts every HTTP connection works under, from config [http]. */
#include <chrono>
#include <cstddef>

namespace sp::http {

struct server_settings {
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 64 * 1024;
    std::chrono::milliseconds read_timeout{10'000};
    std::chrono::milliseconds write_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::size_t max_connections = 10'000;
    bool access_log = true;
};

} // namespace sp::http
