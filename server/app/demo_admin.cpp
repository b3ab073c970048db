#include "app/demo_admin.hpp"

#include "util/secrets.hpp"

#include <cstdio>

namespace asio = boost::asio;

namespace sp::app {

asio::awaitable<std::string> ensure_demo_admin(store::account_store& accounts, auth::password_hasher& hasher,
                                               std::string email, std::string public_url)
{
    auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    auto existing = co_await accounts.by_email(email);
    if (existing.unavailable) co_return "redis: " + existing.detail;
    if (existing.ok()) {
        std::printf("Demo admin: %s at %s/admin (its password was printed when it was made; "
                    "tools/hub-admin invite-admin EMAIL invites another admin)\n",
                    email.c_str(), public_url.c_str());
        std::fflush(stdout);
        co_return std::string{};
    }
    // 18 random bytes: 24 characters of base64url, far beyond the password rules.
    std::string password = util::random_token(18);
    std::string hash = co_await hasher.hash(password);
    if (hash.empty()) co_return std::string("the password could not be hashed (out of memory)");
    std::string role = "admin", no_expert, by = "seed";
    auto token = co_await accounts.invite(email, role, no_expert, by, now, std::chrono::hours(1));
    if (!token.ok()) co_return "redis: " + token.detail;
    auto made = co_await accounts.accept(token.value, hash, now);
    if (!made.ok()) co_return "redis: " + made.reason();
    std::printf("\n  Demo admin (shown once; stored only as an Argon2id hash):\n"
                "    sign in at  %s/admin\n    e-mail      %s\n    password    %s\n\n",
                public_url.c_str(), email.c_str(), password.c_str());
    std::fflush(stdout);
    co_return std::string{};
}

} // namespace sp::app
