#include "http/mime_types.hpp"

#include <catch2/catch.hpp>

using sp::http::mime_type_for;

TEST_CASE("pages, styles and modules get the types browsers require", "[mime]")
{
    CHECK(mime_type_for("index.html") == "text/html; charset=utf-8");
    CHECK(mime_type_for("css/base.css") == "text/css; charset=utf-8");
    // ES modules are refused by browsers unless served as JavaScript.
    CHECK(mime_type_for("js/app.js") == "text/javascript; charset=utf-8");
    CHECK(mime_type_for("js/app.mjs") == "text/javascript; charset=utf-8");
    CHECK(mime_type_for("i18n/de.json") == "application/json");
    CHECK(mime_type_for("qr.svg") == "image/svg+xml");
    CHECK(mime_type_for("favicon.ico") == "image/x-icon");
    CHECK(mime_type_for("fonts/a.woff2") == "font/woff2");
    CHECK(mime_type_for("feed.ics") == "text/calendar; charset=utf-8");
}

TEST_CASE("extensions match regardless of case", "[mime]")
{
    CHECK(mime_type_for("LOGO.PNG") == "image/png");
    CHECK(mime_type_for("Photo.JpEg") == "image/jpeg");
}

TEST_CASE("unknown or missing extensions are never sniffed as HTML", "[mime]")
{
    CHECK(mime_type_for("README") == "application/octet-stream");
    CHECK(mime_type_for("archive.tar.xz") == "application/octet-stream");
    CHECK(mime_type_for(".htaccess") == "application/octet-stream");
    CHECK(mime_type_for("dir.html/file") == "application/octet-stream");
}
