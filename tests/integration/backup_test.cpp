#include "support/accounts.hpp"
#include "support/test_env.hpp"
#include "support/ws_client.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <atomic>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

const std::string P = "sp:{hub}:";

struct run_result {
    int code;
    std::string output;
};

run_result admin(const redis_server& redis, const std::vector<std::string>& args)
{
    std::string log = scratch_dir("admin") + "/out.log";
    std::vector<std::string> argv{SP_ADMIN_BINARY, "--redis.url=" + redis.url()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto child = sp::util::child_process::spawn(argv, log);
    auto status = child.wait_for(60s);
    std::ifstream in(log);
    std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return {status ? exit_code(*status) : -1, out};
}

std::vector<std::string> words(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) out.push_back(w);
    std::sort(out.begin(), out.end());
    return out;
}

http_reply book(std::uint16_t port, const std::string& session, const std::string& email, bool waitlist = false)
{
    return http_request(port, "POST", "/api/v1/sessions/" + session + (waitlist ? "/waitlist" : "/bookings"),
                        {{"Content-Type", "application/json"}},
                        R"({"name":"N","email":")" + email + R"(","startup":"S","consent":true})");
}

std::string snapshot_version(std::uint16_t port)
{
    ws_client c(port);
    c.send(R"({"op":"subscribe","id":"s1","view":{"type":"event","event":"talk"}})");
    auto snapshot = c.next_op("snapshot");
    REQUIRE(snapshot);
    return json_at(*snapshot, "/version");
}

/** Seats taken, confirmed bookings in the session's set, and booking hashes confirmed for it. */
struct seat_count {
    std::string taken;
    std::string in_set;
    int confirmed_hashes = 0;
};

seat_count seats_of(const redis_server& redis, const std::string& session)
{
    seat_count c;
    c.taken = redis.cli({"HGET", P + "session:" + session, "taken"});
    c.in_set = redis.cli({"SCARD", P + "session:" + session + ":bookings"});
    for (const auto& key : words(redis.cli({"KEYS", P + "booking:*"})))
        if (redis.cli({"HGET", key, "session_id"}) == session && redis.cli({"HGET", key, "status"}) == "confirmed")
            ++c.confirmed_hashes;
    return c;
}

} // namespace

TEST_CASE("a backup restored into an emptied Redis brings the hub back: links, sign-in, feeds, live resume, seats",
          "[backup]")
{
    redis_server redis;
    std::vector<std::string> flags{"--redis.url=" + redis.url(),
                                   "--hub.seed_file=" + bochum_hub_file(event_toml("talk", "anna", "Security Night", 2))};
    auto server = std::make_unique<server_process>(flags);
    browser manager = first_admin(redis, *server);
    auto a = book(server->port(), "talk", "a@example.org");
    auto b = book(server->port(), "talk", "b@example.org");
    REQUIRE(a.status == 201);
    REQUIRE(b.status == 201);
    std::string version = snapshot_version(server->port());
    auto c = book(server->port(), "talk", "c@example.org", true); // the change a live client will resume
    REQUIRE(c.status == 201);
    std::string token_a = json_at(a.body, "/manage_token"), token_c = json_at(c.body, "/manage_token");
    auto feed = post(server->port(), "/api/v1/manage/" + token_a + "/feed", "");
    REQUIRE(feed.status == 201);
    std::string feed_path = json_at(feed.body, "/url").substr(json_at(feed.body, "/url").find("/feeds/"));
    REQUIRE(http_get(server->port(), feed_path).status == 200);
    std::string manage_a = http_get(server->port(), "/api/v1/manage/" + token_a).body;
    REQUIRE(std::stoi(redis.cli({"ZCARD", P + "outbox"})) + std::stoi(redis.cli({"LLEN", P + "outbox:dead"})) > 0);
    REQUIRE(std::stoi(redis.cli({"SCARD", P + "accounts"})) == 1);

    std::string file = scratch_dir("backup") + "/hub.spbackup";
    auto taken = admin(redis, {"backup", file});
    INFO(taken.output);
    REQUIRE(taken.code == 0);
    CHECK_THAT(taken.output, Catch::Contains("layout version 1"));
    auto keys_before = words(redis.cli({"KEYS", P + "*"}));
    std::string log_before = redis.cli({"XREVRANGE", P + "changes", "+", "-", "COUNT", "1"});
    std::string outbox_before = redis.cli({"ZRANGE", P + "outbox", "0", "-1"});

    REQUIRE(server->terminate() == 0);
    server.reset();
    redis.cli({"FLUSHALL"});
    REQUIRE(redis.cli({"DBSIZE"}) == "0");
    auto restored = admin(redis, {"restore", file});
    INFO(restored.output);
    REQUIRE(restored.code == 0);
    CHECK(words(redis.cli({"KEYS", P + "*"})) == keys_before);
    CHECK(redis.cli({"XREVRANGE", P + "changes", "+", "-", "COUNT", "1"}) == log_before);
    CHECK(redis.cli({"ZRANGE", P + "outbox", "0", "-1"}) == outbox_before);

    server = std::make_unique<server_process>(flags);
    auto port = server->port();
    CHECK(http_get(port, "/api/v1/manage/" + token_a).body == manage_a);
    auto login = post(port, "/api/v1/auth/login", R"({"email":"manager@hub.example.org","password":")" + k_password + "\"}");
    CHECK(login.status == 200);
    auto ics = http_get(port, feed_path);
    CHECK(ics.status == 200);
    CHECK_THAT(ics.body, Catch::Contains("BEGIN:VCALENDAR"));

    ws_client live(port);
    live.send(R"({"op":"subscribe","id":"s1","view":{"type":"event","event":"talk"},"since":")" + version + "\"}");
    auto resume = live.next_op("resume");
    REQUIRE(resume);
    CHECK(json_at(*resume, "/changes/0/version") > version);

    // The seats came back taken: a booking after the restore cannot oversell.
    auto d = book(port, "talk", "d@example.org");
    CHECK(d.status == 409);
    CHECK(json_at(d.body, "/code") == "full");
    CHECK(json_at(http_get(port, "/api/v1/sessions/talk").body, "/seats_taken") == "2");
    // And the waitlist came back in order: cancelling promotes c.
    CHECK(post(port, "/api/v1/manage/" + token_a + "/cancel", "").status == 200);
    CHECK(json_at(http_get(port, "/api/v1/manage/" + token_c).body, "/status") == "confirmed");
}

TEST_CASE("restore refuses a hub that has keys unless --force, and a damaged file, writing nothing", "[backup]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(),
                           "--hub.seed_file=" + bochum_hub_file(event_toml("talk", "anna", "Security Night", 5))});
    REQUIRE(book(server.port(), "talk", "a@example.org").status == 201);
    std::string dir = scratch_dir("backup");
    REQUIRE(admin(redis, {"backup", dir + "/hub.spbackup"}).code == 0);
    std::ifstream in(dir + "/hub.spbackup", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

    auto keys = words(redis.cli({"KEYS", "*"}));
    auto refused = admin(redis, {"restore", dir + "/hub.spbackup"});
    CHECK(refused.code == 1);
    CHECK_THAT(refused.output, Catch::Contains("already has") && Catch::Contains("--force") &&
                                   Catch::Contains("nothing was restored"));

    redis_server empty;
    std::ofstream(dir + "/truncated.spbackup", std::ios::binary) << bytes.substr(0, bytes.size() - 10);
    std::string altered = bytes;
    altered[bytes.size() / 2] = static_cast<char>(altered[bytes.size() / 2] ^ 0x20);
    std::ofstream(dir + "/altered.spbackup", std::ios::binary) << altered;
    auto truncated = admin(empty, {"restore", dir + "/truncated.spbackup"});
    CHECK(truncated.code == 1);
    CHECK_THAT(truncated.output, Catch::Contains("truncated") && Catch::Contains("nothing was restored"));
    auto damaged = admin(empty, {"restore", dir + "/altered.spbackup"});
    CHECK(damaged.code == 1);
    CHECK_THAT(damaged.output, Catch::Contains("checksum does not match"));
    CHECK(empty.cli({"DBSIZE"}) == "0");

    // --force replaces: a booking made after the backup is gone, the one before it stays.
    REQUIRE(book(server.port(), "talk", "b@example.org").status == 201);
    CHECK(json_at(http_get(server.port(), "/api/v1/sessions/talk").body, "/seats_taken") == "2");
    auto forced = admin(redis, {"restore", "--force", dir + "/hub.spbackup"});
    INFO(forced.output);
    CHECK(forced.code == 0);
    CHECK_THAT(forced.output, Catch::Contains("keys replaced"));
    CHECK(redis.cli({"HGET", P + "session:talk", "taken"}) == "1");
}

TEST_CASE("backups taken while 100 bookings race each hold as many seats taken as confirmed bookings", "[backup]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(),
                           "--hub.seed_file=" + bochum_hub_file(event_toml("talk", "anna", "Security Night", 60) +
                                                                event_toml("late", "anna", "Late Night", 60, 4))});
    std::vector<http_call> calls;
    for (int i = 0; i < 100; ++i)
        calls.push_back({"POST", std::string("/api/v1/sessions/") + (i % 2 ? "late" : "talk") + "/bookings",
                         {{"Content-Type", "application/json"}},
                         R"({"name":"N","email":"f)" + std::to_string(i) + R"(@example.org","startup":"S","consent":true})"});
    std::string dir = scratch_dir("backup");
    std::atomic<bool> done{false};
    std::vector<http_reply> replies;
    std::thread racers([&] {
        replies = parallel_requests(server.port(), calls);
        done = true;
    });
    std::vector<std::string> files;
    while (!done || files.empty()) {
        std::string file = dir + "/b" + std::to_string(files.size()) + ".spbackup";
        auto r = admin(redis, {"backup", file});
        INFO(r.output);
        REQUIRE(r.code == 0);
        files.push_back(file);
    }
    racers.join();
    int created = 0;
    for (const auto& r : replies) created += r.status == 201;
    CHECK(created == 100);

    int seen_mid_race = 0;
    for (const auto& file : files) {
        redis_server fresh;
        auto r = admin(fresh, {"restore", file});
        INFO(file << ": " << r.output);
        REQUIRE(r.code == 0);
        for (std::string session : {"talk", "late"}) {
            auto c = seats_of(fresh, session);
            INFO(session);
            CHECK(c.taken == c.in_set);
            CHECK(c.taken == std::to_string(c.confirmed_hashes));
            seen_mid_race += c.confirmed_hashes > 0 && c.confirmed_hashes < 50;
        }
    }
    // Not a pass condition (timing decides), but says whether the race was really caught.
    WARN(files.size() << " backups, " << seen_mid_race << " sessions caught mid-race");
}
