#include "http/server_settings.hpp"

#include <catch2/catch.hpp>

using sp::http::client_address;

TEST_CASE("X-Forwarded-For names the client only when a trusted proxy sent it", "[http][proxy]")
{
    std::vector<std::string> nginx{"127.0.0.1"};
    CHECK(client_address("127.0.0.1", "203.0.113.7", nginx) == "203.0.113.7");
    // The proxy appends the address it saw: only the last entry is trusted.
    CHECK(client_address("127.0.0.1", "6.6.6.6, 203.0.113.7", nginx) == "203.0.113.7");
    CHECK(client_address("127.0.0.1", " 2001:db8::1 ", nginx) == "2001:db8::1");
    // Anyone else's header is ignored, as are values that are not addresses.
    CHECK(client_address("198.51.100.4", "203.0.113.7", nginx) == "198.51.100.4");
    CHECK(client_address("127.0.0.1", "203.0.113.7", {}) == "127.0.0.1");
    CHECK(client_address("127.0.0.1", "evil\r\nSet-Cookie: x", nginx) == "127.0.0.1");
    CHECK(client_address("127.0.0.1", "", nginx) == "127.0.0.1");
}
