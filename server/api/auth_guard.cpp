#include "api/auth_guard.hpp"

#include "api/problems.hpp"
#include "http/cookies.hpp"
#include "http/origin_policy.hpp"

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
    if (!http::origin_allowed(origin == req.end() ? "" : std::string_view(origin->value()),
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
    auto found = co_await auth::resolve_session(accounts_, header, settings_.session_idle);
    if (!found.who) {
        switch (found.why) {
        case auth::no_session::no_cookie:
            co_return http::make_problem(st::unauthorized, "not-signed-in", "sign in first");
        case auth::no_session::ended:
            co_return http::make_problem(st::unauthorized, "not-signed-in", "your sign-in has ended; sign in again");
        case auth::no_session::no_account:
            co_return http::make_problem(st::unauthorized, "not-signed-in", "sign in again");
        case auth::no_session::unavailable:
            co_return problem_for(found.failure);
        }
    }
    auto& a = found.who->account;
    if (!role.empty() && a.role != role)
        co_return http::make_problem(st::forbidden, "forbidden", "this needs the " + std::string(role) + " role");
    co_return std::move(*found.who);
}

} // namespace sp::api
