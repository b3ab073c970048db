#pragma once
/** The limits and timeouts every HTTP connection works under, from config [http]. */
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace sp::http {

struct server_settings {
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 64 * 1024;
    std::size_t max_upload_bytes = 512 * 1024; // a body sent as image/* (an expert's photo)
    std::chrono::milliseconds read_timeout{10'000};
    std::chrono::milliseconds write_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::size_t max_connections = 10'000;
    bool access_log = true;
    /** Peers (IP literals) whose X-Forwarded-For names the real client, e.g. the nginx
     *  in front; for everyone else the TCP peer is the client. */
    std::vector<std::string> trusted_proxies;
};

/** The client a request comes from: `peer`, or, when `peer` is a trusted proxy, the
 *  last address in its X-Forwarded-For (if that is an IP literal). */
std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

} // namespace sp::http
