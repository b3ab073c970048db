// The incremental UTF-8 validator (server/websocket/utf8_validator): Autobahn 6.x style
// cases, pieces split anywhere, and every short sequence against a reference decoder.
#include "support/utf8_reference.hpp"
#include "websocket/utf8_validator.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>

using sp::websocket::utf8_validator;
using sp::websocket::valid_utf8;
using sp::test::utf8_by_arithmetic;

namespace {

bool valid_in_two_pieces(std::string_view s, std::size_t cut)
{
    utf8_validator v;
    return v.feed(s.substr(0, cut)) && v.feed(s.substr(cut)) && v.complete();
}

} // namespace

TEST_CASE("valid UTF-8 is accepted, whole or split at every byte", "[websocket]")
{
    for (std::string_view s : {"", "plain ASCII, longer than eight bytes", "κόσμε", "Grüß Gott €", "\xf0\x9f\x98\x80",
                               "\xed\x9f\xbf" /* U+D7FF */, "\xee\x80\x80" /* U+E000 */, "\xef\xbf\xbf" /* U+FFFF */,
                               "\xf4\x8f\xbf\xbf" /* U+10FFFF */, "\xc2\x80" /* U+0080 */,
                               "\xe0\xa0\x80" /* U+0800 */, "\xf0\x90\x80\x80" /* U+10000 */}) {
        INFO(s);
        CHECK(valid_utf8(s));
        for (std::size_t cut = 0; cut <= s.size(); ++cut) CHECK(valid_in_two_pieces(s, cut));
        utf8_validator byte_by_byte;
        for (char c : s) CHECK(byte_by_byte.feed(std::string_view(&c, 1)));
        CHECK(byte_by_byte.complete());
    }
}

TEST_CASE("overlong forms, surrogates, code points above U+10FFFF and stray bytes are refused", "[websocket]")
{
    for (std::string_view s : {"\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xe0\x9f\xbf", "\xf0\x80\x80\xaf",
                               "\xf0\x8f\xbf\xbf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xed\xa0\x80\xed\xb0\x80",
                               "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80", "\xfe", "\xff", "\x80",
                               "\xbf", "a\x80" "b", "\xc2\x41", "\xe2\x82\x41", "ASCII for a while \xff then more"}) {
        INFO(s);
        CHECK_FALSE(valid_utf8(s));
        for (std::size_t cut = 0; cut <= s.size(); ++cut) CHECK_FALSE(valid_in_two_pieces(s, cut));
    }
}

TEST_CASE("a character cut off at the end is refused by complete(), not by feed()", "[websocket]")
{
    for (std::string_view s : {"\xc2", "\xe2\x82", "\xf0\x9f\x98", "abc\xf4"}) {
        INFO(s);
        utf8_validator v;
        CHECK(v.feed(s));
        CHECK_FALSE(v.complete());
        CHECK_FALSE(valid_utf8(s));
    }
}

TEST_CASE("an invalid byte fails at once and for good, until reset", "[websocket]")
{
    utf8_validator v;
    CHECK(v.feed("ok \xed"));
    CHECK_FALSE(v.feed("\xa0")); // a surrogate: known after its second byte
    CHECK(v.failed());
    CHECK_FALSE(v.feed("plain"));
    CHECK_FALSE(v.complete());
    v.reset();
    CHECK(v.feed("plain"));
    CHECK(v.complete());
}

TEST_CASE("every 1-3 byte sequence, and 4-byte ones around the edges, agree with a reference decoder",
          "[websocket]")
{
    std::size_t disagreements = 0, valid_count = 0;
    auto compare = [&](const std::string& s) {
        const bool expected = utf8_by_arithmetic(s);
        valid_count += expected;
        if (valid_utf8(s) != expected) {
            if (disagreements++ < 5) FAIL_CHECK("disagree on " << s.size() << " bytes, reference says " << expected);
        }
    };
    std::string s;
    for (int a = 0; a < 256; ++a) {
        compare(std::string(1, static_cast<char>(a)));
        for (int b = 0; b < 256; ++b) {
            compare({static_cast<char>(a), static_cast<char>(b)});
            if (a < 0xE0 || a > 0xEF) continue;
            for (int c = 0; c < 256; ++c) compare({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
        }
    }
    for (int a = 0xF0; a <= 0xF7; ++a)
        for (int b = 0; b < 256; ++b)
            for (int c : {0x7F, 0x80, 0xBF, 0xC0})
                for (int d : {0x7F, 0x80, 0xBF, 0xC0})
                    compare({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c), static_cast<char>(d)});
    CHECK(disagreements == 0);
    // 128 one-byte, 1920 two-byte (+ 128*128 ASCII pairs), 61440 three-byte, and 4-byte ones.
    CHECK(valid_count > 128 + 1920 + 61440);
}
