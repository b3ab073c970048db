#pragma once
/**
 * What community managers (role admin) run, each request checked for the admin role;
 * changes also need the CSRF token and an allowed Origin (auth_guard). Every change is
 * recorded with its author in the change log, which is the audit trail.
 *   PUT    /api/v1/admin/camps/{id}            {name, city, focus, address, zone?}
 *   DELETE /api/v1/admin/camps/{id}            409 in-use while rooms, experts or sessions use it
 *   PUT    /api/v1/admin/rooms/{id}            {camp_id, name, capacity}
 *   DELETE /api/v1/admin/rooms/{id}            409 in-use while rules or coming events use it
 *   PUT    /api/v1/admin/experts/{id}          {name, title?, bio?, topics[], languages[], camp_ids[]}
 *   DELETE /api/v1/admin/experts/{id}          409 in-use while they have rules or coming sessions
 *   GET    /api/v1/admin/experts/{id}/sessions any expert's schedule with the founders in it
 *   GET    /api/v1/admin/events                every event
 *   PUT    /api/v1/admin/events/{id}           {camp_id, room_id?, expert_id?, title, description?, topic, start, end, seats}
 *   DELETE /api/v1/admin/events/{id}           {message?}: cancels its bookings, founders are told
 *   GET    /api/v1/admin/statistics?from=&to=  bookings, utilization, no-show rate per ISO week, camp and topic
 *   GET    /api/v1/admin/audit?limit=&before=  who changed what, newest first
 *   GET    /api/v1/admin/outbox                messages waiting and the newest dead letters
 * Camps, rooms and experts are listed by the public endpoints.
 */
#include "api/api_context.hpp"
#include "api/auth_guard.hpp"
#include "http/router.hpp"
#include "store/outbox_store.hpp"

namespace sp::api {

void add_admin_routes(http::router& routes, api_context& ctx, auth_guard& guard);
void add_outbox_routes(http::router& routes, auth_guard& guard, store::outbox_store& outbox);

} // namespace sp::api
