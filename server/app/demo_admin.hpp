#pragma once
/**
 * The demo hub's community manager: when the seed file asks for one ([demo]
 * admin_email) and it does not exist yet, the account is created with a generated
 * password, which is printed once to standard output (never to the log) so whoever ran
 * tools/run can sign in at /admin. Later starts only name the account.
 */
#include "auth/password_hasher.hpp"
#include "store/account_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <string>

namespace sp::app {

/** "" on success, else why the account could not be made (Redis trouble). */
boost::asio::awaitable<std::string> ensure_demo_admin(store::account_store& accounts, auth::password_hasher& hasher,
                                                      std::string email, std::string public_url);

} // namespace sp::app
