#pragma once
/**
 * Experts' photos: JPEG, PNG or WebP only, judged by their bytes (never SVG), at most
 * http.max_upload_bytes (the HTTP layer answers 413 above it), stored in Redis with the
 * expert and removed with them. Served with the type found at upload, `nosniff` and an
 * ETag, so a browser revalidates cheaply and sees a new photo at once.
 *   GET    /api/v1/experts/{id}/photo         the photo (404 when there is none)
 *   PUT    /api/v1/expert/photo               the signed-in expert's own (CSRF; body: the image)
 *   DELETE /api/v1/expert/photo               remove it (CSRF)
 *   PUT    /api/v1/admin/experts/{id}/photo   an admin, for any expert (CSRF)
 *   DELETE /api/v1/admin/experts/{id}/photo
 */
#include "api/api_context.hpp"
#include "api/auth_guard.hpp"
#include "http/router.hpp"

namespace sp::api {

void add_photo_routes(http::router& routes, api_context& ctx, auth_guard& guard);

} // namespace sp::api
