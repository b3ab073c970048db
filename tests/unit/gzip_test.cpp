#include "http/gzip.hpp"

#include <catch2/catch.hpp>

using namespace sp::http;

TEST_CASE("gzip: what is compressed comes back unchanged, and is smaller for text", "[gzip]")
{
    std::string text;
    for (int i = 0; i < 200; ++i) text += "export function render() { return 'Sprechstunde'; }\n";
    auto gz = gzip_compress(text);
    REQUIRE(gz);
    CHECK(gz->size() < text.size() / 4);
    CHECK(static_cast<unsigned char>((*gz)[0]) == 0x1f); // the gzip magic bytes
    CHECK(static_cast<unsigned char>((*gz)[1]) == 0x8b);
    CHECK(gzip_decompress(*gz) == text);
    CHECK(gzip_decompress(*gzip_compress("")) == "");
    CHECK_FALSE(gzip_decompress("not gzip at all"));
}

TEST_CASE("gzip: Accept-Encoding is read as RFC 9110 says", "[gzip]")
{
    CHECK(accepts_gzip("gzip"));
    CHECK(accepts_gzip("gzip, deflate, br"));
    CHECK(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    CHECK(accepts_gzip("x-gzip"));
    CHECK(accepts_gzip("*"));
    CHECK_FALSE(accepts_gzip(""));
    CHECK_FALSE(accepts_gzip("identity"));
    CHECK_FALSE(accepts_gzip("br, deflate"));
    CHECK_FALSE(accepts_gzip("gzip;q=0"));
    CHECK_FALSE(accepts_gzip("gzip;q=0.000, *"));
    CHECK_FALSE(accepts_gzip("*;q=0"));
    CHECK_FALSE(accepts_gzip("gzipped"));
}

TEST_CASE("gzip: text, scripts, JSON and SVG are compressed, images and fonts are not", "[gzip]")
{
    CHECK(compressible("text/html; charset=utf-8"));
    CHECK(compressible("text/javascript; charset=utf-8"));
    CHECK(compressible("application/json"));
    CHECK(compressible("image/svg+xml"));
    CHECK_FALSE(compressible("image/png"));
    CHECK_FALSE(compressible("font/woff2"));
}
