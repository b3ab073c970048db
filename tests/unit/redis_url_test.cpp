#include "redis/redis_url.hpp"

#include <catch2/catch.hpp>

using sp::redis::endpoint;
using sp::redis::parse_redis_url;

namespace {
endpoint ok(std::string_view url)
{
    auto r = parse_redis_url(url);
    if (auto* e = std::get_if<std::string>(&r)) FAIL(std::string(url) + ": " + *e);
    return std::get<endpoint>(r);
}
std::string bad(std::string_view url)
{
    auto r = parse_redis_url(url);
    REQUIRE(std::holds_alternative<std::string>(r));
    return std::get<std::string>(r);
}
} // namespace

TEST_CASE("a plain redis URL gives host, port and db", "[redis_url]")
{
    endpoint e = ok("redis://10.1.2.3:6380/2");
    CHECK(e.kind == endpoint::transport::tcp);
    CHECK(e.host == "10.1.2.3");
    CHECK(e.port == 6380);
    CHECK(e.db == 2);
    CHECK(e.password.empty());
    CHECK(ok("redis://localhost").port == 6379);
    CHECK(ok("redis://localhost/").db == 0);
}

TEST_CASE("user and password are read and percent-decoded", "[redis_url]")
{
    endpoint e = ok("redis://app:s%40cret%3A1@redis.internal:6379/0");
    CHECK(e.user == "app");
    CHECK(e.password == "s@cret:1");
    endpoint p = ok("redis://:onlypass@h:1");
    CHECK(p.user.empty());
    CHECK(p.password == "onlypass");
}

TEST_CASE("the description for logs never contains the password", "[redis_url][security]")
{
    endpoint e = ok("redis://app:topsecret@h:6379/1");
    CHECK(e.describe().find("topsecret") == std::string::npos);
    CHECK(e.describe() == "tcp h:6379 db 1 user app");
}

TEST_CASE("IPv6 hosts are written in brackets", "[redis_url]")
{
    endpoint e = ok("redis://[::1]:7000");
    CHECK(e.host == "::1");
    CHECK(e.port == 7000);
}

TEST_CASE("unix socket URLs take an absolute path and an optional db", "[redis_url]")
{
    endpoint e = ok("unix:///run/redis/redis.sock?db=3");
    CHECK(e.kind == endpoint::transport::unix_socket);
    CHECK(e.path == "/run/redis/redis.sock");
    CHECK(e.db == 3);
}

TEST_CASE("malformed URLs say what is wrong", "[redis_url]")
{
    CHECK_THAT(bad("http://h"), Catch::Contains("redis://"));
    CHECK_THAT(bad("redis://h:0"), Catch::Contains("port"));
    CHECK_THAT(bad("redis://h:70000"), Catch::Contains("port"));
    CHECK_THAT(bad("redis://h:abc"), Catch::Contains("port"));
    CHECK_THAT(bad("redis://h/x"), Catch::Contains("database"));
    CHECK_THAT(bad("redis://:p@"), Catch::Contains("host"));
    CHECK_THAT(bad("unix://relative.sock"), Catch::Contains("absolute"));
    CHECK_THAT(bad("unix:///a.sock?foo=1"), Catch::Contains("db="));
    CHECK_THAT(bad("rediss://h"), Catch::Contains("TLS"));
    CHECK_THAT(bad("redis://u:%zz@h"), Catch::Contains("percent"));
}

TEST_CASE("a sentinel URL lists the sentinels, the master name and the data nodes' login", "[redis_url][sentinel]")
{
    endpoint e = ok("redis-sentinel://app:s%40cret@10.0.0.1:26380,10.0.0.2,[::1]:26381/mymaster?db=3");
    CHECK(e.kind == endpoint::transport::sentinel);
    REQUIRE(e.sentinels.size() == 3);
    CHECK(e.sentinels[0] == sp::redis::host_port{"10.0.0.1", 26380});
    CHECK(e.sentinels[1] == sp::redis::host_port{"10.0.0.2", 26379}); // the sentinel default port
    CHECK(e.sentinels[2] == sp::redis::host_port{"::1", 26381});
    CHECK(e.master_name == "mymaster");
    CHECK(e.db == 3);
    CHECK(e.user == "app");
    CHECK(e.password == "s@cret");
    CHECK(e.describe() == "sentinel mymaster via 10.0.0.1:26380,10.0.0.2:26379,::1:26381 db 3 user app");
    CHECK(ok("redis-sentinel://h:1/m").db == 0);
}

TEST_CASE("a sentinel URL without sentinels or master name is refused with the reason", "[redis_url][sentinel]")
{
    CHECK_THAT(bad("redis-sentinel://h1:26379"), Catch::Contains("master name"));
    CHECK_THAT(bad("redis-sentinel://h1:26379/"), Catch::Contains("master name"));
    CHECK_THAT(bad("redis-sentinel:///mymaster"), Catch::Contains("sentinel"));
    CHECK_THAT(bad("redis-sentinel://h1:26379,/mymaster"), Catch::Contains("host is missing"));
    CHECK_THAT(bad("redis-sentinel://h1:99999/mymaster"), Catch::Contains("port"));
    CHECK_THAT(bad("redis-sentinel://h1/mymaster?db=x"), Catch::Contains("db="));
}
