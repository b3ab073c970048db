#pragma once
/**
 * Fetching an expert's calendar from its private address with libcurl, so that a
 * feed can never hurt the server or be used to look into the hub's network:
 * - http, https and webcal (read as https) only, also after redirects (at most 5);
 * - every address libcurl connects to, including after a redirect or a DNS answer
 *   that changed, is checked at connect time: loopback, private, link-local, shared
 *   (CGNAT), multicast and unspecified addresses are refused unless
 *   `allow_private_addresses` (tests, or a hub whose calendar server is internal);
 * - a whole-transfer timeout and a size limit (the transfer stops at the first byte
 *   past it); compressed bodies are accepted and the limit counts decoded bytes;
 * - conditional requests (If-None-Match, If-Modified-Since) so an unchanged feed
 *   costs one small answer.
 * The URL is a secret: no error message or log line built here contains it.
 * fetch_feed() blocks: call it on a worker thread, never an io thread. Thread-safe.
 */
#include "calendar/feed_problem.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sp::calendar {

struct fetch_settings {
    std::chrono::milliseconds timeout{20000};
    std::size_t max_bytes = 5 * 1024 * 1024;
    bool allow_private_addresses = false;
};

/** What the last good answer said, for the next conditional request. */
struct feed_validators {
    std::string etag;
    std::string last_modified;
};

struct fetch_result {
    enum class outcome { fetched, not_modified, failed };
    outcome what = outcome::failed;
    std::string body;            // with `fetched`
    feed_validators validators;  // with `fetched`
    std::string error;           // with `failed`: in plain English, for the log and API clients
    feed_problem problem = feed_problem::none; // with `failed`: what the expert's page says
    long http_status = 0;
};

/** The URL to fetch for what an expert pasted (webcal:// becomes https://), or nullopt
 *  with `problem` set: not http(s)/webcal, no host, user name or password in it, or
 *  longer than 2,000 characters. */
std::optional<std::string> feed_url(std::string_view pasted, std::string& problem);

/** The address as an expert may see it again after saving: scheme and host, and the
 *  last four characters of the rest ("https://calendar.google.com/…c.ics"). */
std::string masked_feed_url(std::string_view url);

/** True for an address a feed may be fetched from when private ones are not allowed
 *  (IPv4 or IPv6 text, IPv4-mapped IPv6 judged as the IPv4 address). */
bool public_address(std::string_view ip);

fetch_result fetch_feed(const std::string& url, const feed_validators& previous, const fetch_settings& settings);

} // namespace sp::calendar
