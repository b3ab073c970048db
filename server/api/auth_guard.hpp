#pragma once
/**
 * Who is asking: the signed-in account of a request (the session cookie), checked on
 * every request that needs one, plus the CSRF rules for requests that change state: a
 * present Origin must be allowed (the allow-list or the server's own origin) and the
 * X-CSRF-Token header must equal the CSRF cookie set at sign-in (double submit).
 */
#include "auth/session_resolver.hpp"
#include "http/message.hpp"
#include "store/account_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <variant>
#include <vector>

namespace sp::api {

struct auth_settings {
    std::chrono::seconds session_idle{std::chrono::minutes(120)};
    std::chrono::seconds session_absolute{std::chrono::hours(12)};
    bool secure_cookies = false;
    int attempts_per_account = 5;
    int attempts_per_address = 20;
    std::chrono::seconds attempt_window{300};
    std::chrono::seconds invitation_lifetime{std::chrono::days(7)};
    std::vector<std::string> allowed_origins;
};

using auth::k_csrf_cookie;
using auth::k_session_cookie;
using auth::signed_in;

class auth_guard {
public:
    auth_guard(store::account_store& accounts, auth_settings settings);

    /** The signed-in account, or the problem to answer (401, 403, 503). `role` empty:
     *  any role. `changes_state`: also enforce the CSRF rules. */
    boost::asio::awaitable<std::variant<signed_in, http::response>> require(const http::request_context& rc,
                                                                           std::string_view role, bool changes_state);

    /** The Origin rule alone (for sign-in, which has no CSRF cookie yet). */
    std::optional<http::response> check_origin(const http::request& req) const;

    const auth_settings& settings() const { return settings_; }
    store::account_store& accounts() { return accounts_; }

private:
    store::account_store& accounts_;
    auth_settings settings_;
};

} // namespace sp::api
