// A confirmation as a mail client reads it: every body part decodes back to exactly what
// was written (whatever its length against the 57-byte base64 line), no line is longer
// than RFC 5322 allows, and a header value cannot add a header.
#include "notify/mime.hpp"

#include <catch2/catch.hpp>
#include <sodium.h>
#include <string>
#include <vector>

using sp::notify::compose;
using sp::notify::mail;

namespace {

std::vector<std::string> lines_of(const std::string& message)
{
    std::vector<std::string> out;
    std::size_t at = 0;
    for (std::size_t end; (end = message.find("\r\n", at)) != std::string::npos; at = end + 2)
        out.push_back(message.substr(at, end - at));
    REQUIRE(at == message.size()); // ends with CRLF, no bare line at the end
    return out;
}

/** The decoded body of the part whose Content-Type starts with `type`. */
std::string body_of(const std::string& message, const std::string& type)
{
    auto header = message.find("Content-Type: " + type);
    REQUIRE(header != std::string::npos);
    auto start = message.find("\r\n\r\n", header) + 4;
    auto end = message.find("--=_sp_", start); // the next boundary (base64 has no '-')
    REQUIRE(end != std::string::npos);
    // Lines of exactly 76 characters, the last one at most 76, each ending in CRLF.
    std::string part = message.substr(start, end - start), encoded;
    for (std::size_t at = 0; at < part.size();) {
        auto eol = part.find("\r\n", at);
        REQUIRE(eol != std::string::npos);
        std::size_t length = eol - at;
        bool last = eol + 2 == part.size();
        CHECK((last ? length <= 76 : length == 76));
        encoded += part.substr(at, length);
        at = eol + 2;
    }
    if (encoded.empty()) return {};
    std::string out(encoded.size(), '\0');
    std::size_t length = 0;
    REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), encoded.data(), encoded.size(),
                              nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0);
    out.resize(length);
    return out;
}

std::string text_of_length(std::size_t n)
{
    std::string s;
    const std::string pattern = "Grüße aus dem Camp – Öffnungszeiten 10:00–12:00. ";
    while (s.size() < n) s += pattern;
    s.resize(n); // may cut a UTF-8 character: the bytes must still come back as they were
    return s;
}

} // namespace

TEST_CASE("each body part of a mail decodes back to what was written, in lines of at most 76 characters",
          "[mail][mime]")
{
    REQUIRE(sodium_init() >= 0);
    for (std::size_t n : {0u, 1u, 56u, 57u, 58u, 113u, 114u, 115u, 1000u, 4321u}) {
        INFO("body of " << n << " bytes");
        mail m{"Digital Hub <hub@example.org>", "founder@example.org", "Jana Müller", "Ihre Buchung",
               text_of_length(n), "<p>" + text_of_length(n + 7) + "</p>", "m1.b42@sprechstunde",
               "BEGIN:VCALENDAR\r\n" + text_of_length(n + 3) + "\r\nEND:VCALENDAR\r\n", "REQUEST", 1796000000};
        std::string message = compose(m);
        CHECK(body_of(message, "text/plain") == m.text);
        CHECK(body_of(message, "text/html") == m.html);
        CHECK(body_of(message, "text/calendar") == m.ics);
        for (const auto& line : lines_of(message)) CHECK(line.size() <= 78); // headers too
    }
}

TEST_CASE("a mail's headers: UTF-8 names as encoded words, no header added through a value", "[mail][mime]")
{
    mail m{"Digital Hub <hub@example.org>", "founder@example.org", "Jürgen Groß", "Termin\r\nBcc: evil@example.org",
           "text", "<p>html</p>", "m2.b43@sprechstunde", "", "", 1796000000};
    std::string message = compose(m);
    CHECK(message.find("\r\nTo: =?UTF-8?B?") != std::string::npos);
    CHECK(message.find("\r\nBcc:") == std::string::npos);
    CHECK(message.find("Subject: Termin  Bcc: evil@example.org\r\n") != std::string::npos);
    CHECK(message.find("text/calendar") == std::string::npos); // no attachment without an .ics
    CHECK(message.find("Date: Mon, 30 Nov 2026 00:53:20 +0000") != std::string::npos);
}
