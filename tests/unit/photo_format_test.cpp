// What an expert's photo is, judged by its bytes (domain/photo_format).
#include "domain/photo_format.hpp"

#include <catch2/catch.hpp>
#include <string>

using sp::domain::photo_content_type;

namespace {
template <std::size_t N> std::string bytes(const char (&s)[N]) { return std::string(s, N - 1); }
} // namespace

TEST_CASE("a photo is a JPEG, PNG or WebP by its signature, whatever it claims to be", "[photo]")
{
    CHECK(photo_content_type(bytes("\xFF\xD8\xFF\xE0\0\x10JFIF")) == "image/jpeg");
    CHECK(photo_content_type(bytes("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR\0\0\0\x01")) == "image/png");
    CHECK(photo_content_type(bytes("RIFF\x1A\0\0\0WEBPVP8L\x0D\0\0\0")) == "image/webp");
    CHECK(photo_content_type(bytes("RIFF\x1A\0\0\0WEBPVP8X\x0D\0\0\0")) == "image/webp");
}

TEST_CASE("SVG, GIF, HTML, a bare signature or a RIFF that is not WebP is no photo", "[photo]")
{
    CHECK_FALSE(photo_content_type(R"(<svg xmlns="http://www.w3.org/2000/svg"/>)"));
    CHECK_FALSE(photo_content_type("<?xml version=\"1.0\"?><svg/>"));
    CHECK_FALSE(photo_content_type("GIF89a\x01\x01"));
    CHECK_FALSE(photo_content_type("<html><script>alert(1)</script>"));
    CHECK_FALSE(photo_content_type(bytes("\x89PNG\r\n\x1A\n")));              // no IHDR
    CHECK_FALSE(photo_content_type(bytes("\x89PNG\r\n\x1A\n\0\0\0\x0DtEXt")));  // not IHDR first
    CHECK_FALSE(photo_content_type(bytes("RIFF\x1A\0\0\0WAVEfmt \x10\0\0\0"))); // a sound
    CHECK_FALSE(photo_content_type(bytes("\xFF\xD8")));
    CHECK_FALSE(photo_content_type(""));
}
