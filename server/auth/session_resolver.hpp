#pragma once
/**
 * Who a request belongs to: the session cookie, its login session (still within the idle
 * and absolute limits) and its account. The one place that follows this chain, for HTTP
 * requests (api::auth_guard, which adds roles and CSRF) and WebSocket handshakes (the live
 * layer) alike. Stateless; runs on any io thread; `accounts` must outlive the call.
 */
#include "store/account_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string_view>

namespace sp::auth {

inline constexpr std::string_view k_session_cookie = "sp_session";
inline constexpr std::string_view k_csrf_cookie = "sp_csrf";

struct signed_in {
    store::account account;
    store::login_session session;
};

/** Why a request has no signed-in account. */
enum class no_session {
    no_cookie,   // no session cookie sent
    ended,       // the login session is unknown or past its limits
    no_account,  // the session's account is gone
    unavailable, // Redis failed; `failure` says how
};

struct session_lookup {
    std::optional<signed_in> who; // set when signed in
    no_session why = no_session::no_cookie;
    store::outcome failure; // the store's outcome of the step that failed
};

/** Follows `cookie_header` (the Cookie header's text, "" if none) to its account. */
boost::asio::awaitable<session_lookup> resolve_session(store::account_store& accounts, std::string_view cookie_header,
                                                       std::chrono::seconds session_idle);

} // namespace sp::auth
