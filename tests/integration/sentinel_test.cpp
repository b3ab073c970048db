// Redis with a replica and Sentinel, on loopback: the server finds the primary through the
// sentinels, follows a failover without a restart, and with durability = replicated
// acknowledges a write only once a replica has it.
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <atomic>
#include <fstream>
#include <map>
#include <hiredis/hiredis.h>
#include <optional>
#include <sstream>
#include <thread>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

/** One command to any Redis or sentinel on loopback; the reply as words (nested arrays flattened). */
std::vector<std::string> ask(std::uint16_t port, const std::vector<std::string>& args,
                             const std::vector<std::string>& login = {})
{
    std::vector<std::string> out;
    timeval tv{1, 0};
    redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
    if (!c || c->err) {
        if (c) redisFree(c);
        return out;
    }
    redisSetTimeout(c, tv);
    if (!login.empty()) {
        auto* r = static_cast<redisReply*>(
            redisCommand(c, "AUTH %b %b", login[0].data(), login[0].size(), login[1].data(), login[1].size()));
        if (r) freeReplyObject(r);
    }
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
    auto flatten = [&](auto& self, const redisReply* x) -> void {
        if (x->type == REDIS_REPLY_ARRAY)
            for (std::size_t i = 0; i < x->elements; ++i) self(self, x->element[i]);
        else if (x->type == REDIS_REPLY_INTEGER) out.push_back(std::to_string(x->integer));
        else if (x->type == REDIS_REPLY_NIL) out.push_back("(nil)");
        else out.emplace_back(x->str, x->len);
    };
    if (r) {
        flatten(flatten, r);
        freeReplyObject(r);
    }
    redisFree(c);
    return out;
}

/** The value after `key` in a flat field/value reply ("" if absent). */
std::string field(const std::vector<std::string>& flat, const std::string& key)
{
    for (std::size_t i = 0; i + 1 < flat.size(); i += 2)
        if (flat[i] == key) return flat[i + 1];
    return {};
}

/** redis-server --sentinel on a free loopback port, watching `mymaster`. Sentinel mode is
 *  part of Debian's redis-server package. */
class sentinel {
public:
    sentinel(std::uint16_t primary_port) : port_(free_port())
    {
        std::string dir = scratch_dir("sentinel");
        std::string conf = dir + "/sentinel.conf"; // sentinel rewrites its file: one each
        std::ofstream(conf) << "port " << port_ << "\nbind 127.0.0.1\ndir " << dir
                            << "\nsentinel monitor mymaster 127.0.0.1 " << primary_port
                            << " 2\nsentinel down-after-milliseconds mymaster 1000\n"
                               "sentinel failover-timeout mymaster 4000\n";
        child_ = sp::util::child_process::spawn({"redis-server", conf, "--sentinel", "--daemonize", "no"},
                                                dir + "/sentinel.log");
        if (!eventually([&] { return ask(port_, {"PING"}) == std::vector<std::string>{"PONG"}; }, 10s))
            throw std::runtime_error("redis-server --sentinel did not start");
    }
    ~sentinel() { child_.terminate(2s); }
    std::uint16_t port() const { return port_; }
    std::vector<std::string> master() const { return ask(port_, {"SENTINEL", "MASTER", "mymaster"}); }
    /** The port of the primary this sentinel names. */
    std::string primary_port() const
    {
        auto a = ask(port_, {"SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"});
        return a.size() == 2 ? a[1] : "";
    }

private:
    std::uint16_t port_;
    sp::util::child_process child_;
};

// A replica that must resync in full (it took writes of its own) would otherwise wait 5 s
// for more replicas to share the transfer.
const std::vector<std::string> k_quick_sync{"--repl-diskless-sync-delay", "0"};

redis_server node() { return redis_server(redis_server::options{true, k_quick_sync}); }

redis_server replica_of(const redis_server& primary)
{
    std::vector<std::string> args = k_quick_sync;
    args.insert(args.end(), {"--replicaof", "127.0.0.1", std::to_string(primary.port())});
    return redis_server(redis_server::options{true, args});
}

bool replica_in_sync(const redis_server& replica)
{
    auto role = ask(replica.port(), {"ROLE"});
    return role.size() >= 4 && role[0] == "slave" && role[3] == "connected";
}

std::string hub_file(int seats = 50) { return bochum_hub_file(event_toml("talk", "anna", "Security Night", seats)); }

http_reply book(std::uint16_t port, const std::string& email, const std::string& idempotency_key = {})
{
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!idempotency_key.empty()) headers["Idempotency-Key"] = idempotency_key;
    return http_request(port, "POST", "/api/v1/sessions/talk/bookings", headers,
                        R"({"name":"N","email":")" + email + R"(","startup":"S","consent":true})");
}

std::string seats_taken(std::uint16_t port)
{
    return json_at(http_get(port, "/api/v1/sessions/talk").body, "/seats_taken");
}

const std::string subscribe_event = R"({"op":"subscribe","id":"s1","view":{"type":"event","event":"talk"}})";

/** Books until one gets 201 (the server may still be finding the new primary). Every
 *  answer on the way must be an honest 503 with Retry-After, never anything else. */
http_reply book_through_failover(std::uint16_t port, const std::string& email, int& refused)
{
    auto end = std::chrono::steady_clock::now() + 30s;
    for (;;) {
        http_reply r = book(port, email, "failover-" + sha256_hex(email).substr(0, 24));
        if (r.status == 201 || std::chrono::steady_clock::now() > end) return r;
        CHECK(r.status == 503);
        CHECK(r.header("retry-after") == "1");
        CHECK(json_at(r.body, "/code") == "unavailable");
        ++refused;
        std::this_thread::sleep_for(100ms);
    }
}


/** A primary, one replica and three sentinels on loopback, ready for a failover. */
struct sentinel_setup {
    redis_server first = node();
    redis_server second = replica_of(first);
    std::optional<sentinel> s1, s2, s3;

    sentinel_setup()
    {
        if (!eventually([&] { return replica_in_sync(second); }, 10s)) throw std::runtime_error("replica not in sync");
        s1.emplace(first.port());
        s2.emplace(first.port());
        s3.emplace(first.port());
        // A failover needs the sentinels to know each other and the replica (hello messages, ~2 s).
        bool known = eventually(
            [&] {
                for (const sentinel* s : {&*s1, &*s2, &*s3}) {
                    auto m = s->master();
                    if (field(m, "num-other-sentinels") != "2" || field(m, "num-slaves") != "1") return false;
                }
                return true;
            },
            15s);
        if (!known) throw std::runtime_error("the sentinels did not find each other");
    }
    std::string url() const
    {
        return "redis-sentinel://127.0.0.1:" + std::to_string(s1->port()) + ",127.0.0.1:" +
               std::to_string(s2->port()) + ",127.0.0.1:" + std::to_string(s3->port()) + "/mymaster";
    }
    /** The server's command connection (not the tailer's) is logged as connected to `node`. */
    /** The command connection (of the first io lane, "sprechstunde-0"; "sprechstunde" with
     *  one lane) logged that it connected to `node`. */
    static bool server_uses(const server_process& server, const redis_server& node)
    {
        std::string at = "address=127.0.0.1:" + std::to_string(node.port());
        std::string log = server.log();
        return log.find(at + " name=sprechstunde-0 ") != std::string::npos ||
            log.find(at + " name=sprechstunde ") != std::string::npos;
    }
};

} // namespace

TEST_CASE("through Sentinel the server follows a switchover and a killed primary without a restart",
          "[sentinel]")
{
    sentinel_setup redis;
    redis_server& first = redis.first;
    redis_server& second = redis.second;
    sentinel& s1 = *redis.s1;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file()});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 10s));
    CHECK(sentinel_setup::server_uses(server, first));

    ws_client client(server.port());
    client.send(subscribe_event);
    REQUIRE(client.next_op("snapshot"));
    http_reply a = book(server.port(), "a@example.org");
    REQUIRE(a.status == 201);
    REQUIRE(client.next_op("changes", 3s));
    std::vector<std::string> tokens{json_at(a.body, "/manage_token")};

    SECTION("a switchover (SENTINEL FAILOVER): the old primary stays up and is demoted later")
    {
        REQUIRE(ask(s1.port(), {"SENTINEL", "FAILOVER", "mymaster"}) == std::vector<std::string>{"OK"});
        // The server leaves the old primary on +switch-master, long before the sentinels
        // demote it (~8 s). Writes in between would land on the old primary: under
        // durability "local" they could be lost, which is what "replicated" is for (below).
        REQUIRE(eventually([&] { return sentinel_setup::server_uses(server, second); }, 15s));
        int refused = 0;
        http_reply b = book_through_failover(server.port(), "b@example.org", refused);
        REQUIRE(b.status == 201);
        tokens.push_back(json_at(b.body, "/manage_token"));
        CHECK(ask(second.port(), {"ROLE"}).at(0) == "master");
    }
    SECTION("the primary is killed (kill -9): the replica is promoted")
    {
        first.kill9();
        CHECK(eventually([&] { return status_of(server.port(), "/readyz") == 503; }, 3s));
        REQUIRE(eventually([&] { return s1.primary_port() == std::to_string(second.port()); }, 20s));
        int refused = 0;
        http_reply b = book_through_failover(server.port(), "b@example.org", refused);
        REQUIRE(b.status == 201);
        tokens.push_back(json_at(b.body, "/manage_token"));
        // The booking went out on one io lane's connection; the others follow on their
        // own next attempt to connect.
        CHECK(eventually([&] { return sentinel_setup::server_uses(server, second); }, 5s));
    }

    // No restart: the same process, ready again, with every acknowledged booking.
    CHECK(process_alive(server.pid()));
    CHECK(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 5s));
    for (const auto& t : tokens) CHECK(http_get(server.port(), "/api/v1/manage/" + t).status == 200);
    CHECK(seats_taken(server.port()) == "2");
    // The change tailer followed the new primary too: the open WebSocket sees the booking.
    auto changes = client.next_op("changes", 5s);
    REQUIRE(changes);
    CHECK(json_at(*changes, "/changes/0/session/seats_taken") == "2");
    http_reply c = book(server.port(), "c@example.org");
    CHECK(c.status == 201);
    auto more = client.next_op("changes", 5s);
    REQUIRE(more);
    CHECK(json_at(*more, "/changes/0/session/seats_taken") == "3");
}

TEST_CASE("with durability = replicated no acknowledged booking is lost in a switchover", "[sentinel]")
{
    sentinel_setup redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + hub_file(500),
                           "--redis.durability=replicated", "--redis.wait_timeout_ms=200"});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 10s));

    // A founder after another books throughout the switchover.
    std::atomic<bool> stop{false};
    std::vector<std::string> acknowledged;
    std::map<std::string, int> answers; // status or 503 code -> count
    std::thread booker([&] {
        for (int i = 0; !stop; ++i) {
            http_reply r = book(server.port(), "w" + std::to_string(i) + "@example.org");
            if (r.status == 201) acknowledged.push_back(json_at(r.body, "/manage_token"));
            ++answers[r.status == 503 ? json_at(r.body, "/code") : std::to_string(r.status)];
            std::this_thread::sleep_for(50ms);
        }
    });
    std::this_thread::sleep_for(300ms);
    REQUIRE(ask(redis.s1->port(), {"SENTINEL", "FAILOVER", "mymaster"}) == std::vector<std::string>{"OK"});
    // The new primary has no replica until the old one is demoted and has synced; then
    // bookings are confirmed again. The sentinels would demote it ~8 s after the switch;
    // the test does what they would do, sooner.
    REQUIRE(eventually([&] { return sentinel_setup::server_uses(server, redis.second); }, 15s));
    std::this_thread::sleep_for(500ms); // a few bookings meet a primary without replica
    REQUIRE(ask(redis.first.port(), {"REPLICAOF", "127.0.0.1", std::to_string(redis.second.port())}) ==
            std::vector<std::string>{"OK"});
    bool synced = eventually([&] { return replica_in_sync(redis.first); }, 30s);
    std::size_t before = acknowledged.size(); // read while the booker runs: only a rough mark
    bool confirmed_again = eventually([&] { return acknowledged.size() > before + 2; }, 10s);
    stop = true;
    booker.join();
    REQUIRE(synced);
    CHECK(confirmed_again);

    INFO("answers: " << [&] {
        std::string t;
        for (const auto& [k, n] : answers) t += k + "=" + std::to_string(n) + " ";
        return t;
    }());
    // Only confirmed bookings and honest refusals; the window without a replica was seen.
    for (const auto& [k, n] : answers) CHECK((k == "201" || k == "not-replicated" || k == "unavailable"));
    CHECK(answers["not-replicated"] > 0);
    // Every booking that was acknowledged is on the new primary, and on its replica.
    CHECK(sentinel_setup::server_uses(server, redis.second));
    for (const auto& t : acknowledged) CHECK(http_get(server.port(), "/api/v1/manage/" + t).status == 200);
    CHECK(std::stoul(seats_taken(server.port())) >= acknowledged.size());
}

TEST_CASE("with durability = replicated a booking is acknowledged only once the replica has it", "[sentinel]")
{
    redis_server primary;
    redis_server replica = replica_of(primary);
    REQUIRE(eventually([&] { return replica_in_sync(replica); }, 10s));
    server_process server({"--redis.url=" + primary.url(), "--hub.seed_file=" + hub_file(),
                           "--redis.durability=replicated", "--redis.wait_replicas=1", "--redis.wait_timeout_ms=1000"});
    REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 10s));

    // Right after the 201 the replica already holds the booking.
    for (int i = 0; i < 5; ++i) {
        http_reply r = book(server.port(), "r" + std::to_string(i) + "@example.org");
        REQUIRE(r.status == 201);
        std::string key = "sp:{hub}:booking:" + json_at(r.body, "/booking/id");
        CHECK(ask(replica.port(), {"HGET", key, "status"}) == std::vector<std::string>{"confirmed"});
    }

    // A stalled replica: the write happens on the primary, but it is not acknowledged.
    replica.pause();
    auto before = std::chrono::steady_clock::now();
    std::chrono::steady_clock::duration read_took{};
    std::thread reader([&] {
        // While WAIT blocks its connection, reads are answered at once: they use another.
        std::this_thread::sleep_for(200ms);
        auto start = std::chrono::steady_clock::now();
        CHECK(http_get(server.port(), "/api/v1/sessions/talk").status == 200);
        read_took = std::chrono::steady_clock::now() - start;
    });
    http_reply stalled = book(server.port(), "late@example.org", "late-key-0123456789");
    auto took = std::chrono::steady_clock::now() - before;
    reader.join();
    CHECK(stalled.status == 503);
    CHECK(json_at(stalled.body, "/code") == "not-replicated");
    CHECK(stalled.header("retry-after") == "1");
    CHECK(took >= 1000ms); // WAIT really waited for the replica
    CHECK(read_took < 500ms);
    CHECK(seats_taken(server.port()) == "6"); // it exists on the primary
    // A refusal writes nothing: it is answered as such, not as not-replicated.
    http_reply refused = book(server.port(), "r0@example.org");
    CHECK(refused.status == 409);
    CHECK_THAT(http_get(server.port(), "/metrics").body, Catch::Contains("sp_redis_not_replicated_total 1"));

    // Once the replica is back, the same request (same Idempotency-Key) returns that booking.
    replica.resume();
    REQUIRE(eventually([&] { return replica_in_sync(replica); }, 5s));
    http_reply retry = book(server.port(), "late@example.org", "late-key-0123456789");
    CHECK(retry.status == 201);
    CHECK(retry.header("idempotent-replayed") == "true");
    CHECK(seats_taken(server.port()) == "6");
    std::string key = "sp:{hub}:booking:" + json_at(retry.body, "/booking/id");
    CHECK(ask(replica.port(), {"HGET", key, "status"}) == std::vector<std::string>{"confirmed"});

    // A replica that is gone for good: every write is refused rather than acknowledged unsafely.
    replica.kill9();
    http_reply alone = book(server.port(), "alone@example.org");
    CHECK(alone.status == 503);
    CHECK(json_at(alone.body, "/code") == "not-replicated");
}

TEST_CASE("the server runs with the least-privilege ACL user the README gives", "[acl]")
{
    // The user is taken from the README, so the documentation cannot drift from what works.
    std::ifstream readme(std::string(SP_SOURCE_DIR) + "/README.md");
    std::stringstream text;
    text << readme.rdbuf();
    std::string doc = text.str();
    auto begin = doc.find("ACL SETUSER sprechstunde");
    REQUIRE(begin != std::string::npos);
    auto end = doc.find("```", begin);
    REQUIRE(end != std::string::npos);
    std::istringstream words(doc.substr(begin, end - begin));
    std::vector<std::string> acl;
    for (std::string w; words >> w;) acl.push_back(w == ">LONG-RANDOM-PASSWORD" ? ">acl-test-password" : w);
    REQUIRE(acl.size() > 10);

    redis_server redis;
    REQUIRE(redis.cli(acl) == "OK");
    std::string url = "redis://sprechstunde:acl-test-password@127.0.0.1:" + std::to_string(redis.port());
    server_process plain({"--redis.url=" + url, "--hub.seed_file=" + hub_file()});
    REQUIRE(eventually([&] { return status_of(plain.port(), "/readyz") == 200; }, 10s));
    ws_client client(plain.port());
    client.send(subscribe_event);
    REQUIRE(client.next_op("snapshot"));
    http_reply a = book(plain.port(), "a@example.org");
    REQUIRE(a.status == 201);
    REQUIRE(client.next_op("changes", 3s));
    std::string token = json_at(a.body, "/manage_token");
    CHECK(http_request(plain.port(), "POST", "/api/v1/manage/" + token + "/cancel").status == 200);
    REQUIRE(client.next_op("changes", 3s));
    CHECK(http_get(plain.port(), "/metrics").status == 200);
    plain.terminate();
    CHECK(plain.log().find("NOPERM") == std::string::npos);

    // durability = replicated needs WAIT (and with no replica, every write is refused).
    server_process replicated({"--redis.url=" + url, "--hub.seed_file=none", "--redis.durability=replicated",
                               "--redis.wait_timeout_ms=1"});
    REQUIRE(eventually([&] { return status_of(replicated.port(), "/readyz") == 200; }, 10s));
    http_reply unconfirmed = book(replicated.port(), "x@example.org");
    CHECK(json_at(unconfirmed.body, "/code") == "not-replicated");
    replicated.terminate();
    CHECK(replicated.log().find("NOPERM") == std::string::npos);

    // The restriction is real: the user cannot touch keys outside the hub or run FLUSHALL.
    std::vector<std::string> login{"sprechstunde", "acl-test-password"};
    CHECK_THAT(ask(redis.port(), {"FLUSHALL"}, login).at(0), Catch::StartsWith("NOPERM"));
    CHECK_THAT(ask(redis.port(), {"GET", "other:key"}, login).at(0), Catch::StartsWith("NOPERM"));
    CHECK(ask(redis.port(), {"EXISTS", "sp:{hub}:meta"}, login) == std::vector<std::string>{"1"});
}

// A measurement, not a check (hidden: run it by its name). What WAIT costs on loopback.
TEST_CASE("measure: bookings per second with durability local vs replicated", "[.][measure-wait]")
{
    redis_server primary;
    redis_server replica = replica_of(primary);
    REQUIRE(eventually([&] { return replica_in_sync(replica); }, 10s));
    std::string hub = bochum_hub_file(event_toml("talk", "anna", "Security Night", 500));
    int round = 0;
    for (std::string durability : {"local", "replicated", "local", "replicated"}) {
        primary.cli({"FLUSHALL"});
        server_process server({"--redis.url=" + primary.url(), "--hub.seed_file=" + hub, "--redis.durability=" + durability},
                              true, perf_server_binary());
        REQUIRE(eventually([&] { return status_of(server.port(), "/readyz") == 200; }, 10s));
        std::vector<http_call> calls;
        for (int i = 0; i < 200; ++i)
            calls.push_back({"POST", "/api/v1/sessions/talk/bookings", {{"Content-Type", "application/json"}},
                             R"({"name":"N","email":"m)" + std::to_string(round) + "-" + std::to_string(i) +
                                 R"(@example.org","startup":"S","consent":true})"});
        auto start = std::chrono::steady_clock::now();
        auto replies = parallel_requests(server.port(), calls);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        int created = 0;
        for (const auto& r : replies) created += r.status == 201;
        start = std::chrono::steady_clock::now();
        for (int i = 0; i < 100; ++i)
            created += book(server.port(), "s" + std::to_string(round) + "-" + std::to_string(i) + "@example.org").status == 201;
        auto seq_us =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count() / 100;
        WARN(durability << ": " << created << " of 300 booked; 200 concurrent in " << ms << " ms; one at a time "
                        << seq_us << " us each");
        ++round;
    }
}
