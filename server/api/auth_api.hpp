#pragma once
/**
 * Signing in and out, and accounts by invitation:
 *   POST /api/v1/auth/login                       {email, password}
 *   POST /api/v1/auth/logout                      (signed in, CSRF)
 *   GET  /api/v1/auth/me
 *   GET  /api/v1/auth/invitations/{token}         the e-mail it is for
 *   POST /api/v1/auth/invitations/{token}/accept  {password}: opens the account, signs in
 *   POST /api/v1/admin/invitations                {email, role, expert_id} (admin, CSRF)
 * Sign-in failures look the same whether the account exists or not (same answer, same
 * time), and attempts are throttled per account e-mail and per client address.
 */
#include "api/api_context.hpp"
#include "api/auth_guard.hpp"
#include "auth/password_hasher.hpp"
#include "http/router.hpp"

namespace sp::api {

void add_auth_routes(http::router& routes, api_context& ctx, auth_guard& guard, auth::password_hasher& hasher);

} // namespace sp::api
