#pragma once
/**
 * Accounts (experts and community managers), their invitations, their sign-in sessions
 * and the login throttle, in Redis. Secrets (invitation tokens, session ids) are
 * 256-bit CSPRNG values stored only as SHA-256; passwords only as Argon2id hashes made
 * by auth::password_hasher. Every multi-key change is one script.
 * Thread-safety: all members from any strand.
 */
#include "domain/zoned_time.hpp"
#include "store/outcome.hpp"
#include "store/script_runner.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

namespace sp::store {

struct account {
    std::string id;
    std::string email;
    std::string role; // "admin" | "expert"
    std::string expert_id;
    std::string password_hash;
};

struct login_session {
    std::string account_id;
    std::string session_key; // the Redis key (hash of the id), for logout
};

struct throttle_verdict {
    bool allowed = true;
    std::chrono::milliseconds retry_after{0};
};

class account_store {
public:
    account_store(script_runner& runner, std::int64_t change_log_max);

    boost::asio::awaitable<result<account>> by_email(std::string email);   // refusal "unknown-account"
    boost::asio::awaitable<result<account>> by_id(std::string id);         // refusal "unknown-account"
    /** The accounts that sign in as the expert (messages to the expert go to each). */
    boost::asio::awaitable<result<std::vector<account>>> of_expert(std::string expert_id);

    /** A new invitation; the value is the token for the link (only its hash is kept). */
    boost::asio::awaitable<result<std::string>> invite(std::string email, std::string role, std::string expert_id,
                                                       std::string created_by, domain::instant now,
                                                       std::chrono::seconds lifetime);
    /** The e-mail an invitation was made for; refusal "unknown-invitation". */
    boost::asio::awaitable<result<std::string>> invitation_email(std::string token);
    /** The e-mail and role of an invitation; refusal "unknown-invitation". */
    boost::asio::awaitable<result<std::pair<std::string, std::string>>> invitation(std::string token);
    /** Opens the account of an invitation (once); refusals "unknown-invitation", "account-exists". */
    boost::asio::awaitable<result<account>> accept(std::string token, std::string password_hash, domain::instant now);

    /** A new sign-in session; the value is the session id for the cookie. */
    boost::asio::awaitable<result<std::string>> open_session(const std::string& account_id, domain::instant now,
                                                             std::chrono::seconds idle, std::chrono::seconds absolute);
    /** The session of a cookie value, extending its idle lifetime; refusal "no-session". */
    boost::asio::awaitable<result<login_session>> session(std::string session_id, domain::instant now,
                                                          std::chrono::seconds idle);
    boost::asio::awaitable<outcome> close_session(const login_session& s);
    /** Ends every session of an account (password change, removal). */
    boost::asio::awaitable<result<int>> close_all_sessions(std::string account_id);

    /** Takes one attempt from the bucket `scope`/`key`: `capacity` at once, refilled
     *  evenly over `window`. */
    boost::asio::awaitable<result<throttle_verdict>> throttle(std::string scope, std::string key, int capacity,
                                                              std::chrono::seconds window);

private:
    boost::asio::awaitable<result<account>> load(std::string key);

    script_runner& runner_;
    redis::client& redis_;
    keys keys_;
    std::int64_t change_log_max_;
};

} // namespace sp::store
