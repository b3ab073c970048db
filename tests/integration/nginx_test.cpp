#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to)
{
    for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
        text.replace(pos, from.size(), to);
}

/** nginx running config/nginx.conf, with the two upstream ports, its own port and
 *  scratch paths put in. */
class nginx_proxy {
public:
    nginx_proxy(std::uint16_t first, std::uint16_t second) : port_(free_port()), dir_(scratch_dir("nginx"))
    {
        std::ifstream in(std::string(SP_SOURCE_DIR) + "/config/nginx.conf");
        std::stringstream ss;
        ss << in.rdbuf();
        std::string conf = ss.str();
        replace_all(conf, "127.0.0.1:8081", "127.0.0.1:" + std::to_string(first));
        replace_all(conf, "127.0.0.1:8082", "127.0.0.1:" + std::to_string(second));
        replace_all(conf, "listen 127.0.0.1:8080", "listen 127.0.0.1:" + std::to_string(port_));
        replace_all(conf, "/run/nginx-sprechstunde.pid", dir_ + "/nginx.pid");
        replace_all(conf, "/var/log/nginx/sprechstunde-error.log", dir_ + "/error.log");
        replace_all(conf, "/tmp/nginx-sprechstunde-", dir_ + "/tmp-");
        std::ofstream(dir_ + "/nginx.conf") << conf;
        child_ = sp::util::child_process::spawn(
            {"/usr/sbin/nginx", "-p", dir_, "-c", dir_ + "/nginx.conf", "-g", "daemon off;"}, dir_ + "/out.log");
        if (!eventually([&] { return status_of(port_, "/healthz") == 200; }, 10s))
            throw std::runtime_error("nginx did not start; see " + dir_);
    }
    ~nginx_proxy() { child_.terminate(3s); }
    std::uint16_t port() const { return port_; }

private:
    std::uint16_t port_;
    std::string dir_;
    sp::util::child_process child_;
};

} // namespace

TEST_CASE("bookings and live changes pass through nginx in front of two instances", "[nginx][live]")
{
    redis_server redis;
    std::string hub = bochum_hub_file(event_toml("talk", "anna", "Security Night", 10));
    // Behind nginx every connection comes from 127.0.0.1: the instances trust it to name
    // the real client, so per-address limits count founders, not the proxy.
    server_process one({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub, "--http.trusted_proxies=127.0.0.1",
                        "--live.max_sockets_per_address=2"});
    server_process two({"--redis.url=" + redis.url(), "--http.trusted_proxies=127.0.0.1",
                        "--live.max_sockets_per_address=2"});
    REQUIRE(eventually([&] { return status_of(two.port(), "/readyz") == 200; }, 5s));
    nginx_proxy proxy(one.port(), two.port());

    ws_client live(proxy.port());
    live.send(R"({"op":"subscribe","id":"t","view":{"type":"event","event":"talk"}})");
    REQUIRE(live.next_op("snapshot"));
    for (int i = 1; i <= 4; ++i) {
        http_reply booked = http_request(proxy.port(), "POST", "/api/v1/sessions/talk/bookings",
                                         {{"Content-Type", "application/json"}},
                                         R"({"name":"N","email":"n)" + std::to_string(i) +
                                             R"(@example.org","startup":"S","consent":true})");
        REQUIRE(booked.status == 201);
        auto change = live.next_op("changes", 3s);
        REQUIRE(change);
        CHECK(json_at(*change, "/changes/0/session/seats_taken") == std::to_string(i));
    }
    // least_conn sent the long-lived socket to one instance and the bookings to the
    // other: each change crossed instances, through Redis, and came back through nginx.
    auto sockets_on = [](const server_process& s) { return metric(s.port(), "sp_live_sockets"); };
    auto booked_on = [](const server_process& s) {
        return s.log().find("method=POST path=/api/v1/sessions/talk/bookings") != std::string::npos;
    };
    CHECK(sockets_on(one) + sockets_on(two) == 1);
    CHECK(booked_on(one) != booked_on(two));
    CHECK(booked_on(sockets_on(one) == 1 ? two : one));
    CHECK(http_get(proxy.port(), "/api/v1/sessions/talk").status == 200);
}

TEST_CASE("a trusted proxy's X-Forwarded-For names the client, anyone else's is ignored", "[nginx][proxy]")
{
    redis_server redis;
    server_process trusting({"--redis.url=" + redis.url(), "--http.trusted_proxies=127.0.0.1"});
    server_process plain({"--redis.url=" + redis.url()});
    for (auto* s : {&trusting, &plain})
        CHECK(http_get(s->port(), "/api/v1/camps", {{"X-Forwarded-For", "198.51.100.1, 203.0.113.9"}}).status == 200);
    CHECK(eventually([&] { return trusting.log().find("peer=203.0.113.9 method=GET path=/api/v1/camps") !=
                                  std::string::npos; }, 2s));
    CHECK(eventually([&] { return plain.log().find("peer=127.0.0.1 method=GET path=/api/v1/camps") !=
                                  std::string::npos; }, 2s));
    CHECK(plain.log().find("203.0.113.9") == std::string::npos);
}
