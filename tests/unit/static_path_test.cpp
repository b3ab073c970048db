#include "http/page_aliases.hpp"
#include "http/static_handler.hpp"
#include "http/static_path.hpp"

#include <catch2/catch.hpp>

using sp::http::path_refused;
using sp::http::resolve_static_path;

namespace {
std::string resolved(std::string_view target)
{
    auto r = resolve_static_path(target);
    REQUIRE(std::holds_alternative<std::string>(r));
    return std::get<std::string>(r);
}
int refused(std::string_view target)
{
    auto r = resolve_static_path(target);
    REQUIRE(std::holds_alternative<path_refused>(r));
    return std::get<path_refused>(r).status;
}
} // namespace

TEST_CASE("ordinary paths map into the static folder", "[static]")
{
    CHECK(resolved("/") == "index.html");
    CHECK(resolved("/css/base.css") == "css/base.css");
    CHECK(resolved("/css/base.css?v=3") == "css/base.css");
    CHECK(resolved("/lobby/") == "lobby/index.html");
    CHECK(resolved("/a%20b.txt") == "a b.txt");
    CHECK(resolved("//css//base.css") == "css/base.css");
}

TEST_CASE("parent-directory segments never leave the folder", "[static][security]")
{
    CHECK(refused("/../etc/passwd") == 404);
    CHECK(refused("/css/../../etc/passwd") == 404);
    CHECK(refused("/%2e%2e/etc/passwd") == 404);
    CHECK(refused("/%2E%2E/%2E%2E/etc/passwd") == 404);
    CHECK(refused("/css/%2e%2e%2f%2e%2e%2fetc/passwd") == 404);
    CHECK(refused("/..%5c..%5cetc/passwd") == 404);
    CHECK(refused("/css/./base.css") == 404);
}

TEST_CASE("absolute and drive-letter paths are refused", "[static][security]")
{
    CHECK(refused("etc/passwd") == 400);
    CHECK(refused("http://evil/x") == 400);
    CHECK(refused("/C:/windows/win.ini") == 404);
    CHECK(refused("/%5cetc%5cpasswd") == 404);
}

TEST_CASE("NUL and control bytes are malformed requests", "[static][security]")
{
    CHECK(refused("/index.html%00.png") == 400);
    CHECK(refused(std::string_view("/index\0.html", 12)) == 400);
    CHECK(refused("/a%0d%0aSet-Cookie:x") == 400);
}

TEST_CASE("broken percent-encoding is a malformed request", "[static]")
{
    CHECK(refused("/a%2") == 400);
    CHECK(refused("/a%zz") == 400);
    CHECK(refused("/%") == 400);
}

TEST_CASE("dot-files such as .git and .env are never served", "[static][security]")
{
    CHECK(refused("/.env") == 404);
    CHECK(refused("/.git/config") == 404);
    CHECK(refused("/css/.hidden") == 404);
}

TEST_CASE("If-None-Match matches lists, weak tags and *", "[static]")
{
    using sp::http::etag_matches;
    CHECK(etag_matches("\"abc\"", "\"abc\""));
    CHECK(etag_matches("\"x\", \"abc\"", "\"abc\""));
    CHECK(etag_matches("W/\"abc\"", "\"abc\""));
    CHECK(etag_matches("*", "\"abc\""));
    CHECK_FALSE(etag_matches("\"abd\"", "\"abc\""));
    CHECK_FALSE(etag_matches("", "\"abc\""));
}

TEST_CASE("page paths serve their page's file, other paths are left to the folder", "[static]")
{
    using sp::http::aliased_page;
    std::vector<sp::http::page_alias> pages{{"/b/", "manage.html"}, {"/expert", "expert.html"}};
    CHECK(aliased_page(pages, "/b/abc123") == "manage.html");
    CHECK(aliased_page(pages, "/b/abc123?lang=en") == "manage.html");
    CHECK(aliased_page(pages, "/expert") == "expert.html");
    CHECK(aliased_page(pages, "/expert/") == "expert.html");
    CHECK(aliased_page(pages, "/expert?x=1") == "expert.html");
    std::vector<sp::http::page_alias> rooms{{"/rooms/", "room.html", {"qr"}}};
    CHECK(aliased_page(rooms, "/rooms/kemnade") == "room.html");
    CHECK(aliased_page(rooms, "/rooms/kemnade/qr") == "room.html");
    CHECK(aliased_page(rooms, "/rooms/kemnade/qr?lang=en") == "room.html");
    CHECK_FALSE(aliased_page(rooms, "/rooms/kemnade/qrx"));
    CHECK_FALSE(aliased_page(rooms, "/rooms/kemnade/qr/"));
    CHECK_FALSE(aliased_page(rooms, "/rooms//qr"));
    CHECK_FALSE(aliased_page(rooms, "/rooms/a/b/qr"));
    CHECK_FALSE(aliased_page(pages, "/b/abc/qr")); // only the sub-pages an alias names
    CHECK_FALSE(aliased_page(pages, "/b/"));            // no token
    CHECK_FALSE(aliased_page(pages, "/b/a/b"));         // not one segment
    CHECK_FALSE(aliased_page(pages, "/b/../etc/passwd")); // never a way into the folder
    CHECK_FALSE(aliased_page(pages, "/experts"));
    CHECK_FALSE(aliased_page(pages, "/expert/x"));
    CHECK_FALSE(aliased_page(pages, "/index.html"));
}
