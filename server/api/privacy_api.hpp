#pragma once
/**
 * Founders' data protection rights, without an account: the manage link is the proof.
 *   GET  /api/v1/manage/{token}/export   every booking of that founder (same e-mail), as a JSON download
 *   POST /api/v1/manage/{token}/erase    {confirm: true}: cancel coming places, erase all personal data;
 *                                        the link stops working
 *   POST /api/v1/admin/founders/erase    {email}: the same, done by an admin for a founder (admin, CSRF)
 * Erasure blanks name, e-mail, start-up and question and removes every key that leads to
 * the founder; the change log never held them. Statistics keep the anonymous rest.
 */
#include "api/api_context.hpp"
#include "api/auth_guard.hpp"
#include "http/router.hpp"
#include "store/feed_store.hpp"

namespace sp::api {

void add_privacy_routes(http::router& routes, api_context& ctx, auth_guard& guard, store::feed_store& feeds);

} // namespace sp::api
