#include "util/qr_svg.hpp"

#include <catch2/catch.hpp>

using sp::util::qr_encode;
using sp::util::qr_svg;

namespace {
/** The 7x7 finder pattern: a dark ring, a light ring, a dark 3x3 core. */
bool finder_at(const sp::util::qr_matrix& m, int x0, int y0)
{
    for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 7; ++x) {
            bool ring = x == 0 || y == 0 || x == 6 || y == 6;
            bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
            if (m.at(x0 + x, y0 + y) != (ring || core)) return false;
        }
    return true;
}
} // namespace

TEST_CASE("a booking URL encodes to a QR matrix a phone can find", "[qr]")
{
    auto m = qr_encode("https://hub.example.org/?camp=bochum");
    REQUIRE(m);
    CHECK((m->width - 17) % 4 == 0); // versions are 21, 25, 29, ... modules wide
    CHECK(m->width >= 29);           // 37 bytes at level M need version 3 or more
    CHECK(finder_at(*m, 0, 0));
    CHECK(finder_at(*m, m->width - 7, 0));
    CHECK(finder_at(*m, 0, m->width - 7));
    CHECK_FALSE(finder_at(*m, m->width - 7, m->width - 7)); // the fourth corner has none
}

TEST_CASE("the SVG has a quiet zone, crisp modules and an escaped title", "[qr]")
{
    auto m = qr_encode("x");
    REQUIRE(m);
    std::string svg = qr_svg(*m, "QR <code> & \"more\"");
    std::string box = std::to_string(m->width + 8);
    CHECK_THAT(svg, Catch::StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + box + " " + box + "\""));
    CHECK_THAT(svg, Catch::Contains("shape-rendering=\"crispEdges\""));
    CHECK_THAT(svg, Catch::Contains("<title>QR &lt;code&gt; &amp; &quot;more&quot;</title>"));
    CHECK_THAT(svg, Catch::Contains("d=\"M4 4h7v1h-7z")); // the finder's top edge, inside the quiet zone
    CHECK_THAT(svg, Catch::EndsWith("</svg>"));
}

TEST_CASE("text too long for any QR version is refused, not truncated", "[qr]")
{
    CHECK_FALSE(qr_encode(std::string(8000, 'a')));
}
