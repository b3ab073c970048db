#include "redis/connection_rules.hpp"
#include "redis/error.hpp"

#include <catch2/catch.hpp>

using namespace sp::redis;
using namespace std::chrono_literals;
using cmd = std::vector<std::string>;

namespace {

reply status(std::string s)
{
    reply r;
    r.type = reply::kind::status;
    r.str = std::move(s);
    return r;
}

reply error(std::string s)
{
    reply r;
    r.type = reply::kind::error;
    r.str = std::move(s);
    return r;
}

reply role(std::string name)
{
    reply r;
    r.type = reply::kind::array;
    reply first;
    first.type = reply::kind::string;
    first.str = std::move(name);
    r.elements.push_back(first);
    return r;
}

boost::system::error_code code(errc e) { return make_error_code(e); }

} // namespace

TEST_CASE("redis setup: a plain TCP connection names itself and pings", "[redis]")
{
    endpoint e;
    CHECK(compose_setup(e, "sprechstunde") == std::vector<cmd>{{"CLIENT", "SETNAME", "sprechstunde"}, {"PING"}});
}

TEST_CASE("redis setup: AUTH (with or without a user) and SELECT come first", "[redis]")
{
    endpoint e;
    e.password = "secret";
    e.db = 3;
    CHECK(compose_setup(e, "n") ==
          std::vector<cmd>{{"AUTH", "secret"}, {"SELECT", "3"}, {"CLIENT", "SETNAME", "n"}, {"PING"}});
    e.user = "hub";
    CHECK(compose_setup(e, "n").front() == cmd{"AUTH", "hub", "secret"});
}

TEST_CASE("redis setup: through Sentinel the node must say ROLE master before PING", "[redis]")
{
    endpoint e;
    e.kind = endpoint::transport::sentinel;
    CHECK(compose_setup(e, "n") == std::vector<cmd>{{"CLIENT", "SETNAME", "n"}, {"ROLE"}, {"PING"}});
}

TEST_CASE("redis setup: which replies let the setup go on", "[redis]")
{
    boost::system::error_code ok;
    CHECK_FALSE(judge_setup_reply("PING", ok, status("PONG")));
    CHECK(judge_setup_reply("AUTH", ok, error("WRONGPASS invalid username-password pair")) ==
          "AUTH failed: WRONGPASS invalid username-password pair");
    CHECK(judge_setup_reply("PING", code(errc::timeout), {}).value().starts_with("PING failed: "));
    // CLIENT SETNAME refused by an ACL: the name is only a convenience.
    CHECK_FALSE(judge_setup_reply("CLIENT", ok, error("NOPERM this user has no permissions")));
    // ... but a connection that failed is not saved by that.
    CHECK(judge_setup_reply("CLIENT", code(errc::connection_lost), {}));
    CHECK_FALSE(judge_setup_reply("ROLE", ok, role("master")));
    CHECK_FALSE(judge_setup_reply("ROLE", ok, error("NOPERM no ROLE for you")));
    CHECK(judge_setup_reply("ROLE", ok, role("slave")) ==
          "the sentinels named a node that is not the primary (role slave)");
    CHECK(judge_setup_reply("ROLE", ok, status("OK")) ==
          "the sentinels named a node that is not the primary (role unknown)");
    CHECK(judge_setup_reply("ROLE", ok, error("ERR unknown command")) == "ROLE failed: ERR unknown command");
}

TEST_CASE("redis health: a stalled or failing server is dropped, a loading or stopping one is not", "[redis]")
{
    boost::system::error_code ok;
    CHECK_FALSE(judge_health_ping(ok, status("PONG")));
    CHECK(judge_health_ping(code(errc::timeout), {}) == "health ping timed out");
    CHECK(judge_health_ping(ok, error("MISCONF cannot persist")) == "health ping: MISCONF cannot persist");
    CHECK_FALSE(judge_health_ping(ok, error("LOADING Redis is loading the dataset in memory")));
    CHECK_FALSE(judge_health_ping(code(errc::shut_down), {}));
    CHECK_FALSE(judge_health_ping(code(errc::connection_lost), {})); // already reconnecting
}

TEST_CASE("redis deadlines: expired commands are failed and the next deadline is armed", "[redis]")
{
    auto t0 = deadline_clock::time_point{} + 100s;
    std::vector<std::optional<deadline_clock::time_point>> d{t0 - 1ms, std::nullopt, t0, t0 + 50ms, t0 + 20ms};
    auto sweep = sweep_deadlines(d, t0);
    CHECK(sweep.expired == std::vector<std::size_t>{0, 2}); // a deadline equal to now has passed
    CHECK(sweep.next == t0 + 20ms);                          // the earliest of those still waiting

    std::vector<std::optional<deadline_clock::time_point>> done{std::nullopt, std::nullopt};
    auto idle = sweep_deadlines(done, t0);
    CHECK(idle.expired.empty());
    CHECK(idle.next == deadline_clock::time_point::max()); // nothing left to wait for
}
