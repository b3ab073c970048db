#pragma once
/**
 * An expert's own calendars (private iCalendar addresses whose busy times keep clashing
 * sessions from being booked). The address is a secret: it is never logged and every
 * answer shows it masked ("https://calendar.google.com/…c.ics").
 *   GET    /api/v1/expert/calendars                     own calendars with their last fetch
 *   POST   /api/v1/expert/calendars                     {url}: connect one (CSRF)
 *   DELETE /api/v1/expert/calendars/{id}                disconnect one (CSRF)
 *   POST   /api/v1/expert/calendars/refresh             import them now, then the list (CSRF)
 *   GET    /api/v1/admin/experts/{id}/calendars         the same for any expert (admin)
 *   POST   /api/v1/admin/experts/{id}/calendars         (admin, CSRF)
 *   DELETE /api/v1/admin/experts/{id}/calendars/{cal}   (admin, CSRF)
 *   POST   /api/v1/admin/experts/{id}/calendars/refresh (admin, CSRF)
 */
#include "api/api_context.hpp"
#include "api/auth_guard.hpp"
#include "http/router.hpp"
#include "store/busy_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <string>

namespace sp::api {

struct busy_limits {
    std::int64_t max_per_expert = 5;
};

/** Fetches an expert's calendars now and records the import (the importer's import_now). */
using refresh_calendars = std::function<boost::asio::awaitable<void>(std::string expert_id)>;

void add_busy_routes(http::router& routes, api_context& ctx, auth_guard& guard, store::busy_store& busy,
                     busy_limits limits, refresh_calendars refresh);

} // namespace sp::api
