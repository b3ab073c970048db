// Experts' photos: what an expert or an admin may upload, what a founder's browser gets
// back, and that a photo goes with its expert.
#include "support/accounts.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>

using namespace sp::test;

namespace {

/** Every byte of a literal, NULs included. */
template <std::size_t N> std::string bytes(const char (&s)[N]) { return std::string(s, N - 1); }

// The start of a file of each kind (signature and first chunk): what the server judges.
const std::string k_png = bytes("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0");
const std::string k_jpeg = bytes("\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xD9");
const std::string k_webp = bytes("RIFF\x1A\0\0\0WEBPVP8L\x0D\0\0\0\x2F\0\0\0\x10\x07\x10\x11\x11\x88\x88\xFE\x07\0");
const std::string k_svg = R"(<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>)";

std::map<std::string, std::string> as_image(const browser& who, const std::string& type)
{
    auto h = who.headers();
    h["Content-Type"] = type;
    return h;
}

std::string expert_photo_url(std::uint16_t port, const std::string& id)
{
    std::string body = http_get(port, "/api/v1/experts").body;
    auto at = body.find("\"id\":\"" + id + "\"");
    if (at == std::string::npos) return "(no expert)";
    auto end = body.find('}', at);
    auto url = body.find("\"photo_url\":\"", at);
    if (url == std::string::npos || url > end) return "";
    url += 13;
    return body.substr(url, body.find('"', url) - url);
}

} // namespace

TEST_CASE("an expert uploads a photo that founders see, served as what its bytes are, with nosniff",
          "[photo]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file()});
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@hub.example.org", "anna");
    auto port = server.port();

    CHECK(expert_photo_url(port, "anna").empty()); // no photo yet: the pages show initials
    CHECK(http_get(port, "/api/v1/experts/anna/photo").status == 404);

    // A JPEG sent as "image/png": the bytes decide.
    http_reply up = http_request(port, "PUT", "/api/v1/expert/photo", as_image(anna, "image/png"), k_jpeg);
    CHECK(up.status == 204);
    CHECK(expert_photo_url(port, "anna") == "/api/v1/experts/anna/photo");
    http_reply photo = http_get(port, "/api/v1/experts/anna/photo");
    CHECK(photo.status == 200);
    CHECK(photo.body == k_jpeg);
    CHECK(photo.header("content-type") == "image/jpeg");
    CHECK(photo.header("x-content-type-options") == "nosniff");
    REQUIRE_FALSE(photo.header("etag").empty());
    CHECK(http_get(port, "/api/v1/experts/anna/photo", {{"If-None-Match", photo.header("etag")}}).status == 304);

    // A new photo replaces the old one at once: a new ETag.
    CHECK(http_request(port, "PUT", "/api/v1/expert/photo", as_image(anna, "image/png"), k_png).status == 204);
    http_reply png = http_get(port, "/api/v1/experts/anna/photo", {{"If-None-Match", photo.header("etag")}});
    CHECK(png.status == 200);
    CHECK(png.header("content-type") == "image/png");
    CHECK(http_request(port, "PUT", "/api/v1/expert/photo", as_image(anna, "image/webp"), k_webp).status == 204);
    CHECK(http_get(port, "/api/v1/experts/anna/photo").header("content-type") == "image/webp");

    // Removed: the pages go back to initials.
    CHECK(http_request(port, "DELETE", "/api/v1/expert/photo", anna.headers(), "").status == 204);
    CHECK(http_get(port, "/api/v1/experts/anna/photo").status == 404);
    CHECK(expert_photo_url(port, "anna").empty());
}

TEST_CASE("a photo that is not a JPEG, PNG or WebP, too large, or from someone else is refused and writes nothing",
          "[photo][validation]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file(),
                           "--http.max_upload_bytes=2000"});
    browser admin = first_admin(redis, server);
    browser anna = invited_expert(server, admin, "anna@hub.example.org", "anna");
    auto port = server.port();
    std::string before = redis.footprint();

    http_reply svg = http_request(port, "PUT", "/api/v1/expert/photo", as_image(anna, "image/svg+xml"), k_svg);
    CHECK(svg.status == 415);
    CHECK(json_at(svg.body, "/code") == "unsupported-photo");
    CHECK(json_at(svg.body, "/field") == "photo");
    // An SVG labelled as a PNG is still an SVG.
    CHECK(http_request(port, "PUT", "/api/v1/expert/photo", as_image(anna, "image/png"), k_svg).status == 415);
    CHECK(http_request(port, "PUT", "/api/v1/expert/photo", as_image(anna, "image/gif"), "GIF89a\x01\0\x01\0").status ==
          415);
    CHECK(http_request(port, "PUT", "/api/v1/expert/photo", as_image(anna, "image/png"), "").status == 422);

    // Over http.max_upload_bytes: 413 before the body is read to its end.
    std::string big = k_png + std::string(2100, 'x');
    http_reply large = http_request(port, "PUT", "/api/v1/expert/photo", as_image(anna, "image/png"), big);
    CHECK(large.status == 413);
    CHECK(json_at(large.body, "/code") == "body-too-large");
    // Just under it is fine (and shows the limit is the configured one, not the default).
    std::string fits = k_png + std::string(1900, 'x');

    // An expert cannot set another expert's photo; founders cannot set any.
    CHECK(http_request(port, "PUT", "/api/v1/admin/experts/anna/photo", as_image(anna, "image/png"), k_png).status == 403);
    CHECK(http_request(port, "PUT", "/api/v1/expert/photo", {{"Content-Type", "image/png"}}, k_png).status == 403);
    CHECK(http_request(port, "PUT", "/api/v1/admin/experts/nobody/photo", as_image(admin, "image/png"), k_png).status ==
          404);
    CHECK(redis.footprint() == before);

    CHECK(http_request(port, "PUT", "/api/v1/expert/photo", as_image(anna, "image/png"), fits).status == 204);
    CHECK(http_get(port, "/api/v1/experts/anna/photo").body == fits);
}

TEST_CASE("an admin sets an expert's photo, and deleting the expert deletes the photo", "[photo][admin]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file()});
    browser admin = first_admin(redis, server);
    auto port = server.port();
    REQUIRE(http_request(port, "PUT", "/api/v1/admin/experts/lena", admin.headers(),
                         R"({"name":"Lena Wolf","title":"Supply chains","topics":["Logistik-IT"],"languages":["de"],"camp_ids":["bochum"]})")
                .status == 201);
    CHECK(http_request(port, "PUT", "/api/v1/admin/experts/lena/photo", as_image(admin, "image/png"), k_png).status ==
          204);
    CHECK(http_get(port, "/api/v1/experts/lena/photo").status == 200);
    CHECK(redis.cli({"EXISTS", "sp:{hub}:expert:lena:photo"}) == "1");
    // Editing the expert keeps the photo.
    REQUIRE(http_request(port, "PUT", "/api/v1/admin/experts/lena", admin.headers(),
                         R"({"name":"Lena Wolf","title":"Lieferketten","topics":["Logistik-IT"],"languages":["de"],"camp_ids":["bochum"]})")
                .status == 200);
    CHECK(expert_photo_url(port, "lena") == "/api/v1/experts/lena/photo");

    CHECK(http_request(port, "DELETE", "/api/v1/admin/experts/lena", admin.headers(), "").status == 204);
    CHECK(http_get(port, "/api/v1/experts/lena/photo").status == 404);
    CHECK(redis.cli({"EXISTS", "sp:{hub}:expert:lena:photo"}) == "0");
    CHECK(redis.cli({"SISMEMBER", "sp:{hub}:experts_with_photo", "lena"}) == "0");
}
