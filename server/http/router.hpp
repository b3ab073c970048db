#pragma once
/**
 * Maps a method and a path to a handler coroutine. Patterns are literal segments and
 * `{name}` segments (`/api/v1/sessions/{id}/bookings`); the captured values land in
 * request_context::params. A GET route answers HEAD too. A path that matches with
 * the wrong method gets 405 with Allow; no match falls through to the fallback
 * (the static files). Routes are added at start-up, then read concurrently.
 */
#include "http/message.hpp"

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

namespace sp::http {

using handler = std::function<boost::asio::awaitable<response>(request_context&)>;

class router {
public:
    void add(bhttp::verb method, std::string pattern, handler h);
    void set_fallback(handler h) { fallback_ = std::move(h); }
    /** Replaces the handler of every route added so far whose pattern begins with the
     *  segments of `prefix` (e.g. "/api/v1/manage/{token}") by `wrapper(handler)`;
     *  the number of routes wrapped. Start-up only. */
    std::size_t wrap(std::string_view prefix, const std::function<handler(handler)>& wrapper);

    boost::asio::awaitable<response> dispatch(request_context& ctx) const;

    /** Every route added, as its method and pattern ("/api/v1/sessions/{id}"). */
    struct route_entry {
        bhttp::verb method;
        std::string pattern;
    };
    std::vector<route_entry> table() const;

private:
    struct route {
        bhttp::verb method;
        std::vector<std::string> segments;
        handler h;
    };
    static bool match(const route& r, std::string_view path, request_context* ctx);

    std::vector<route> routes_;
    handler fallback_;
};

} // namespace sp::http
