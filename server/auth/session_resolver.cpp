#include "auth/session_resolver.hpp"

#include "http/cookies.hpp"

namespace sp::auth {

boost::asio::awaitable<session_lookup> resolve_session(store::account_store& accounts, std::string_view cookie_header,
                                                       std::chrono::seconds session_idle)
{
    session_lookup out;
    auto sid = http::cookie_value(cookie_header, k_session_cookie);
    if (!sid) co_return out;
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    auto s = co_await accounts.session(*sid, now, session_idle);
    if (!s.ok()) {
        out.why = s.unavailable ? no_session::unavailable : no_session::ended;
        out.failure = s;
        co_return out;
    }
    auto a = co_await accounts.by_id(s.value.account_id);
    if (!a.ok()) {
        out.why = a.unavailable ? no_session::unavailable : no_session::no_account;
        out.failure = a;
        co_return out;
    }
    out.who = signed_in{std::move(a.value), std::move(s.value)};
    co_return out;
}

} // namespace sp::auth
