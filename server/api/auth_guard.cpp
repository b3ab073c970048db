#include "api/auth_guard.hpp"

#include "api/problems.hpp"
#include "http/cookies.hpp"
#include "live/origin_policy.hpp"

#include <sodium.h>

namespace sp::api {

using st = http::bhttp::status;

auth_guard::auth_guard(store::account_store& accounts, auth_settings settings)
    : accounts_(accounts), settings_(std::move(settings))
{
}

std::optional<http::response> auth_guard::check_origin(const http::request& req) const
{
    auto origin = req.find(http::bhttp::field::origin);
    auto host = req.find(http::bhttp::field::host);
    if (!live::origin_allowed(origin == req.end() ? "" : std::string_view(origin->value()),
                              host == req.end() ? "" : std::string_view(host->value()), settings_.allowed_origins))
        return http::make_problem(st::forbidden, "origin-not-allowed", "requests from this page's origin are refused");
    return std::nullopt;
}

boost::asio::awaitable<std::variant<signed_in, http::response>> auth_guard::require(const http::request_context& rc,
                                                                                   std::string_view role,
                                                                                   bool changes_state)
{
    const http::request& req = rc.req;
    auto cookies = req.find(http::bhttp::field::cookie);
    std::string header = cookies == req.end() ? std::string{} : std::string(cookies->value());
    if (changes_state) {
        if (auto refused = check_origin(req)) co_return std::move(*refused);
        auto token = req.find("X-CSRF-Token");
        auto cookie = http::cookie_value(header, k_csrf_cookie);
        bool match = token != req.end() && cookie && !cookie->empty() && token->value().size() == cookie->size() &&
                     sodium_memcmp(token->value().data(), cookie->data(), cookie->size()) == 0;
        if (!match)
            co_return http::make_problem(st::forbidden, "csrf-token",
                                         "send the X-CSRF-Token header with the value of the sp_csrf cookie");
    }
    auto sid = http::cookie_value(header, k_session_cookie);
    if (!sid) co_return http::make_problem(st::unauthorized, "not-signed-in", "sign in first");
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    auto s = co_await accounts_.session(*sid, now, settings_.session_idle);
    if (s.unavailable) co_return problem_for(s);
    if (!s.ok()) co_return http::make_problem(st::unauthorized, "not-signed-in", "your sign-in has ended; sign in again");
    auto a = co_await accounts_.by_id(s.value.account_id);
    if (a.unavailable) co_return problem_for(a);
    if (!a.ok()) co_return http::make_problem(st::unauthorized, "not-signed-in", "sign in again");
    if (!role.empty() && a.value.role != role)
        co_return http::make_problem(st::forbidden, "forbidden", "this needs the " + std::string(role) + " role");
    co_return signed_in{std::move(a.value), std::move(s.value)};
}

} // namespace sp::api
