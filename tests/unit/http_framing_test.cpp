#include "http/http_session.hpp"
#include "store/guess_store.hpp"

#include <catch2/catch.hpp>

using namespace sp::http;

namespace {

request with_fields(std::vector<std::pair<std::string, std::string>> fields, unsigned version = 11)
{
    request req{bhttp::verb::post, "/x", version};
    for (auto& [name, value] : fields) req.insert(name, value);
    return req;
}

} // namespace

TEST_CASE("only a body framed exactly one way is read", "[http][framing]")
{
    CHECK_FALSE(framing_problem(with_fields({})));
    CHECK_FALSE(framing_problem(with_fields({{"Content-Length", "5"}})));
    CHECK_FALSE(framing_problem(with_fields({{"Transfer-Encoding", "chunked"}})));
    CHECK_FALSE(framing_problem(with_fields({{"Transfer-Encoding", " Chunked "}})));

    CHECK(framing_problem(with_fields({{"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}})));
    CHECK(framing_problem(with_fields({{"Content-Length", "5"}, {"Transfer-Encoding", "identity"}})));
    for (std::string coding : {"gzip", "chunked, gzip", "gzip, chunked", "chunked, chunked", "", " , ", "xchunked"}) {
        INFO(coding);
        CHECK(framing_problem(with_fields({{"Transfer-Encoding", coding}})));
    }
    CHECK(framing_problem(with_fields({{"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}})));
    CHECK(framing_problem(with_fields({{"Transfer-Encoding", "chunked"}}, 10)));
}

TEST_CASE("a response header with CR, LF or NUL is never written", "[http][framing]")
{
    response ok{bhttp::status::ok, 11};
    ok.set("X-Request-Id", "abc-1");
    ok.set(bhttp::field::location, "/api/v1/manage/Zk3x9_token");
    CHECK(header_values_safe(ok));
    const std::vector<std::string> bad_values{"a\r\nSet-Cookie: x=1", "a\rb", "a\nb", std::string("a\0b", 3)};
    for (const auto& bad : bad_values) {
        response res = ok;
        res.set(bhttp::field::content_disposition, bad);
        CHECK_FALSE(header_values_safe(res));
    }
}

TEST_CASE("guessing is counted per IPv4 address and per IPv6 /64", "[security][tokens]")
{
    using sp::store::guessing_unit;
    CHECK(guessing_unit("203.0.113.7") == "203.0.113.7");
    CHECK(guessing_unit("2001:db8:1:2::1") == "2001:db8:1:2::/64");
    CHECK(guessing_unit("2001:db8:1:2:ffff:eeee:dddd:cccc") == "2001:db8:1:2::/64");
    CHECK(guessing_unit("2001:db8:1:3::1") == "2001:db8:1:3::/64");
    CHECK(guessing_unit("::ffff:203.0.113.7") == "::ffff:203.0.113.7");
    CHECK(guessing_unit("not an address") == "not an address");
}
