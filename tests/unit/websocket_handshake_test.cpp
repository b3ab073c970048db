// The server side of the opening handshake (server/websocket/handshake): what browsers
// send is accepted with the right Sec-WebSocket-Accept; anything else is refused with
// the status and the header at fault.
#include "websocket/handshake.hpp"

#include <catch2/catch.hpp>

using namespace sp::websocket;

namespace {

upgrade_request browser_request()
{
    upgrade_request r;
    r.method = "GET";
    r.http_version = 11;
    r.upgrade = "websocket";
    r.connection = "keep-alive, Upgrade"; // Firefox
    r.version = "13";
    r.key = "dGhlIHNhbXBsZSBub25jZQ==";
    return r;
}

} // namespace

TEST_CASE("the accept key of RFC 6455's example", "[websocket]")
{
    CHECK(accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    // A second key; the value from Python's hashlib and base64.
    CHECK(accept_key("x3JJHMbDL1EzLkh9GBhXDw==") == "HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
}

TEST_CASE("a browser's upgrade request is accepted, with any case and list order", "[websocket]")
{
    auto result = check_upgrade(browser_request());
    CHECK(result.ok);
    CHECK(result.accept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

    auto r = browser_request();
    r.upgrade = "WebSocket";
    r.connection = "Upgrade";
    r.http_version = 20;
    CHECK(check_upgrade(r).ok);
    r.upgrade = "h2c , websocket";
    r.connection = "upgrade,keep-alive";
    CHECK(check_upgrade(r).ok);
}

TEST_CASE("an upgrade request that is not a WebSocket handshake is refused with 400 or 426", "[websocket]")
{
    struct refusal {
        const char* what;
        void (*change)(upgrade_request&);
        unsigned status;
        const char* field;
    };
    const refusal refusals[] = {
        {"POST", [](upgrade_request& r) { r.method = "POST"; }, 400, "method"},
        {"HTTP/1.0", [](upgrade_request& r) { r.http_version = 10; }, 400, "HTTP version"},
        {"no Upgrade", [](upgrade_request& r) { r.upgrade = ""; }, 400, "Upgrade"},
        {"Upgrade: h2c", [](upgrade_request& r) { r.upgrade = "h2c"; }, 400, "Upgrade"},
        {"Upgrade: websocketx", [](upgrade_request& r) { r.upgrade = "websocketx"; }, 400, "Upgrade"},
        {"Connection: keep-alive", [](upgrade_request& r) { r.connection = "keep-alive"; }, 400, "Connection"},
        {"Connection: upgrades", [](upgrade_request& r) { r.connection = "upgrades"; }, 400, "Connection"},
        {"version 8", [](upgrade_request& r) { r.version = "8"; }, 426, "Sec-WebSocket-Version"},
        {"no version", [](upgrade_request& r) { r.version = ""; }, 426, "Sec-WebSocket-Version"},
        {"version 13, 8", [](upgrade_request& r) { r.version = "13, 8"; }, 426, "Sec-WebSocket-Version"},
        {"no key", [](upgrade_request& r) { r.key = ""; }, 400, "Sec-WebSocket-Key"},
        {"key of 15 bytes", [](upgrade_request& r) { r.key = "AAAAAAAAAAAAAAAAAAAA"; }, 400, "Sec-WebSocket-Key"},
        {"key of 17 bytes", [](upgrade_request& r) { r.key = "AAAAAAAAAAAAAAAAAAAAAAA="; }, 400, "Sec-WebSocket-Key"},
        {"key without padding", [](upgrade_request& r) { r.key = "dGhlIHNhbXBsZSBub25jZQ"; }, 400, "Sec-WebSocket-Key"},
        {"key with padding bits set", [](upgrade_request& r) { r.key = "dGhlIHNhbXBsZSBub25jZR=="; }, 400,
         "Sec-WebSocket-Key"},
        {"key not base64", [](upgrade_request& r) { r.key = "dGhlIHNhbXBsZSBub25jZ!=="; }, 400, "Sec-WebSocket-Key"},
        {"URL-safe key", [](upgrade_request& r) { r.key = "-_-_-_-_-_-_-_-_-_-_-w=="; }, 400, "Sec-WebSocket-Key"},
    };
    for (const auto& c : refusals) {
        INFO(c.what);
        auto r = browser_request();
        c.change(r);
        auto result = check_upgrade(r);
        CHECK_FALSE(result.ok);
        CHECK(result.status == c.status);
        CHECK(result.field == c.field);
        CHECK_FALSE(result.detail.empty());
        CHECK(result.accept.empty());
    }
}

TEST_CASE("the 101 response is complete and ends the header block", "[websocket]")
{
    CHECK(switching_protocols_response("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") ==
          "HTTP/1.1 101 Switching Protocols\r\n"
          "Upgrade: websocket\r\n"
          "Connection: Upgrade\r\n"
          "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
}
