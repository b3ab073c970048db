#pragma once
/**
 * Accounts for the tests: a "browser" holding the session and CSRF cookies, the first
 * admin (invited by the admin tool, as in production), and experts invited by an admin
 * through the API.
 */
#include "support/test_env.hpp"

#include <map>
#include <string>

namespace sp::test {

struct browser {
    std::string session;
    std::string csrf;
    /** Cookie (and, for changes, X-CSRF-Token) headers plus a JSON content type. */
    std::map<std::string, std::string> headers(bool with_csrf = true) const;
};

std::string set_cookie_value(const http_reply& r, const std::string& name);
browser from(const http_reply& r);

/** Runs `sprechstunde-admin invite-admin` and returns the token of the printed link. */
std::string invite_admin(const redis_server& redis, const std::string& email);

http_reply post(std::uint16_t port, const std::string& target, const std::string& body,
                std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}});

extern const std::string k_password;

/** manager@hub.example.org, signed in. */
browser first_admin(const redis_server& redis, const server_process& server);

/** An expert account for `expert_id`, invited by `admin`, signed in. */
browser invited_expert(const server_process& server, const browser& admin, const std::string& email,
                       const std::string& expert_id);

} // namespace sp::test
