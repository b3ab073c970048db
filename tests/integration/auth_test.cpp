#include "support/accounts.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

using namespace sp::test;
using namespace std::chrono_literals;

namespace {

http_reply login(std::uint16_t port, const std::string& email, const std::string& password)
{
    return post(port, "/api/v1/auth/login", R"({"email":")" + email + R"(","password":")" + password + R"("})");
}

} // namespace

TEST_CASE("the first admin starts from a one-time invitation printed by the admin tool", "[auth]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    std::string token = invite_admin(redis, "Manager@Hub.example.org");
    http_reply info = http_get(server.port(), "/api/v1/auth/invitations/" + token);
    CHECK(info.status == 200);
    CHECK(json_at(info.body, "/email") == "manager@hub.example.org");

    http_reply weak = post(server.port(), "/api/v1/auth/invitations/" + token + "/accept", R"({"password":"short"})");
    CHECK(weak.status == 422);
    CHECK(json_at(weak.body, "/field") == "password");
    http_reply common = post(server.port(), "/api/v1/auth/invitations/" + token + "/accept",
                             R"({"password":"password1234"})");
    CHECK(common.status == 422);

    http_reply ok = post(server.port(), "/api/v1/auth/invitations/" + token + "/accept",
                         R"({"password":")" + k_password + R"("})");
    REQUIRE(ok.status == 201);
    CHECK(json_at(ok.body, "/account/role") == "admin");
    std::string cookies = ok.header("set-cookie");
    CHECK_THAT(cookies, Catch::Contains("sp_session=") && Catch::Contains("HttpOnly") &&
                            Catch::Contains("SameSite=Strict"));
    // Single use.
    CHECK(post(server.port(), "/api/v1/auth/invitations/" + token + "/accept", R"({"password":")" + k_password + R"("})")
              .status == 404);
    CHECK(schema_problems("http/api-v1.schema.json", "signed_in", ok.body) == "");
    CHECK(schema_problems("http/api-v1.schema.json", "invitation_info", info.body) == "");
    browser b = from(ok);
    http_reply me = http_get(server.port(), "/api/v1/auth/me", b.headers());
    CHECK(me.status == 200);
    CHECK(schema_problems("http/api-v1.schema.json", "me", me.body) == "");
    CHECK(json_at(me.body, "/account/email") == "manager@hub.example.org");
    // Neither the password nor the session id is stored in clear.
    CHECK(redis.cli({"KEYS", "*" + b.session + "*"}).empty());
    CHECK(server.log().find(k_password) == std::string::npos);
    CHECK(server.log().find(token) == std::string::npos);
}

TEST_CASE("a wrong password and an unknown account get the same answer in about the same time", "[auth]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--auth.login_attempts_per_account=100",
                           "--auth.login_attempts_per_address=100"});
    first_admin(redis, server);
    auto timed = [&](const std::string& email) {
        auto start = std::chrono::steady_clock::now();
        http_reply r = login(server.port(), email, "not the right password");
        return std::pair{r, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
    };
    double wrong = 0, unknown = 0;
    http_reply wrong_reply, unknown_reply;
    for (int i = 0; i < 3; ++i) {
        auto [w, tw] = timed("manager@hub.example.org");
        auto [u, tu] = timed("nobody@hub.example.org");
        wrong += tw;
        unknown += tu;
        wrong_reply = w;
        unknown_reply = u;
    }
    CHECK(wrong_reply.status == 401);
    CHECK(unknown_reply.status == 401);
    CHECK(wrong_reply.body == unknown_reply.body);
    INFO("wrong " << wrong << " s, unknown " << unknown << " s");
    CHECK(unknown / wrong > 0.5);
    CHECK(unknown / wrong < 2.0);
    CHECK(login(server.port(), "MANAGER@hub.example.org", k_password).status == 200);
}

TEST_CASE("every sign-in gets a new session id, and logout ends it", "[auth]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    first_admin(redis, server);
    // A session id planted before sign-in is not adopted (no fixation).
    std::string planted(43, 'P');
    http_reply r = post(server.port(), "/api/v1/auth/login",
                        R"({"email":"manager@hub.example.org","password":")" + k_password + R"("})",
                        {{"Content-Type", "application/json"}, {"Cookie", "sp_session=" + planted}});
    REQUIRE(r.status == 200);
    browser b = from(r);
    CHECK(b.session != planted);
    CHECK(http_get(server.port(), "/api/v1/auth/me", {{"Cookie", "sp_session=" + planted}}).status == 401);
    browser again = from(login(server.port(), "manager@hub.example.org", k_password));
    CHECK(again.session != b.session);

    CHECK(post(server.port(), "/api/v1/auth/logout", "", b.headers()).status == 204);
    CHECK(http_get(server.port(), "/api/v1/auth/me", b.headers()).status == 401);
    CHECK(http_get(server.port(), "/api/v1/auth/me", again.headers()).status == 200); // the other one lives on
}

TEST_CASE("sessions expire: idle by the key's lifetime, absolute by their end time", "[auth]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--auth.session_idle_minutes=30"});
    browser b = first_admin(redis, server);
    std::string keys = redis.cli({"KEYS", "sp:{hub}:login_session:*"});
    REQUIRE_FALSE(keys.empty());
    std::string key = keys.substr(0, keys.find(' '));
    int ttl = std::stoi(redis.cli({"TTL", key}));
    CHECK(ttl > 29 * 60);
    CHECK(ttl <= 30 * 60);
    // Past its absolute end, a session is over even if used a second ago.
    redis.cli({"HSET", key, "expires_at", "1"});
    CHECK(http_get(server.port(), "/api/v1/auth/me", b.headers()).status == 401);
    // And once Redis lets an idle one expire, it is gone too.
    browser c = from(login(server.port(), "manager@hub.example.org", k_password));
    for (const auto& k : {redis.cli({"KEYS", "sp:{hub}:login_session:*"})})
        for (std::size_t p = 0; p < k.size();) {
            auto e = k.find(' ', p);
            redis.cli({"PEXPIRE", k.substr(p, e - p), "1"});
            if (e == std::string::npos) break;
            p = e + 1;
        }
    std::this_thread::sleep_for(20ms);
    CHECK(http_get(server.port(), "/api/v1/auth/me", c.headers()).status == 401);
}

TEST_CASE("sign-in attempts are throttled per account: 429 with Retry-After, existing or not", "[auth][limits]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--auth.login_attempts_per_account=3",
                           "--auth.login_window_seconds=600"});
    first_admin(redis, server);
    for (const std::string email : {"manager@hub.example.org", "ghost@hub.example.org"}) {
        INFO(email);
        for (int i = 0; i < 3; ++i) CHECK(login(server.port(), email, "wrong password again").status == 401);
        http_reply r = login(server.port(), email, "wrong password again");
        CHECK(r.status == 429);
        CHECK(std::stoi(r.header("retry-after")) >= 1);
    }
    // Even the right password waits now: the limit is on attempts, not on failures.
    CHECK(login(server.port(), "manager@hub.example.org", k_password).status == 429);
}

TEST_CASE("sign-in attempts are throttled per client address", "[auth][limits]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--auth.login_attempts_per_address=4"});
    for (int i = 0; i < 4; ++i)
        CHECK(login(server.port(), "user" + std::to_string(i) + "@example.org", "whatever it is").status == 401);
    CHECK(login(server.port(), "user9@example.org", "whatever it is").status == 429);
}

TEST_CASE("a state-changing request without the CSRF token or from a foreign origin is refused and writes nothing",
          "[auth][csrf]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    browser admin = first_admin(redis, server);
    std::string body = R"({"email":"new.admin@hub.example.org","role":"admin"})";
    std::string keys_before = redis.footprint();
    std::string log_before = redis.cli({"XLEN", "sp:{hub}:changes"});

    http_reply no_token = post(server.port(), "/api/v1/admin/invitations", body, admin.headers(false));
    CHECK(no_token.status == 403);
    CHECK(json_at(no_token.body, "/code") == "csrf-token");
    auto wrong_token = admin.headers();
    wrong_token["X-CSRF-Token"] = std::string(43, 'x');
    CHECK(post(server.port(), "/api/v1/admin/invitations", body, wrong_token).status == 403);
    auto foreign = admin.headers();
    foreign["Origin"] = "https://evil.example";
    http_reply cross = post(server.port(), "/api/v1/admin/invitations", body, foreign);
    CHECK(cross.status == 403);
    CHECK(json_at(cross.body, "/code") == "origin-not-allowed");
    CHECK(post(server.port(), "/api/v1/auth/logout", "", admin.headers(false)).status == 403);
    CHECK(redis.footprint() == keys_before);
    CHECK(redis.cli({"XLEN", "sp:{hub}:changes"}) == log_before);

    CHECK(post(server.port(), "/api/v1/admin/invitations", body, admin.headers()).status == 201);
    CHECK(redis.cli({"XLEN", "sp:{hub}:changes"}) != log_before); // the same request with the token writes
}

TEST_CASE("an admin invites an expert, who sets a password and is signed in as that expert", "[auth][tsan]")
{
    redis_server redis;
    std::string seed = bochum_hub_file();
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed});
    browser admin = first_admin(redis, server);
    http_reply unknown = post(server.port(), "/api/v1/admin/invitations",
                              R"({"email":"x@example.org","role":"expert","expert_id":"nobody"})", admin.headers());
    CHECK(unknown.status == 422);
    CHECK(json_at(unknown.body, "/field") == "expert_id");
    http_reply inv = post(server.port(), "/api/v1/admin/invitations",
                          R"({"email":"anna@example.org","role":"expert","expert_id":"anna"})", admin.headers());
    REQUIRE(inv.status == 201);
    CHECK(schema_problems("http/api-v1.schema.json", "invitation_created", inv.body) == "");
    std::string token = json_at(inv.body, "/invitation_token");
    CHECK_THAT(json_at(inv.body, "/invitation_url"), Catch::EndsWith("/invite/" + token));
    http_reply accepted = post(server.port(), "/api/v1/auth/invitations/" + token + "/accept",
                               R"({"password":"Anna's own long passphrase"})");
    REQUIRE(accepted.status == 201);
    CHECK(json_at(accepted.body, "/account/role") == "expert");
    CHECK(json_at(accepted.body, "/account/expert_id") == "anna");
    browser anna = from(accepted);
    // An expert is not an admin.
    http_reply refused = post(server.port(), "/api/v1/admin/invitations",
                              R"({"email":"y@example.org","role":"admin"})", anna.headers());
    CHECK(refused.status == 403);
    CHECK(login(server.port(), "anna@example.org", "Anna's own long passphrase").status == 200);
}

TEST_CASE("the demo hub prints a demo admin login that works, and only once", "[auth][demo]")
{
    redis_server redis;
    std::string seed = bochum_hub_file("[demo]\nadmin_email = \"demo-manager@example.org\"\n");
    std::string password;
    {
        server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed});
        REQUIRE(eventually([&] { return server.log().find("password    ") != std::string::npos; }, 5s));
        std::string log = server.log();
        auto at = log.find("password    ") + 12;
        password = log.substr(at, log.find('\n', at) - at);
        CHECK(password.size() >= 20);
        CHECK_THAT(log, Catch::Contains("demo-manager@example.org"));
        http_reply in = post(server.port(), "/api/v1/auth/login",
                             R"({"email":"demo-manager@example.org","password":")" + password + R"("})");
        CHECK(in.status == 200);
        CHECK(json_at(in.body, "/account/role") == "admin");
        server.terminate();
    }
    // A restart names the account but never prints (or changes) a password again.
    server_process again({"--redis.url=" + redis.url(), "--hub.seed_file=" + seed});
    REQUIRE(eventually([&] { return again.log().find("Demo admin: demo-manager@example.org") != std::string::npos; }, 5s));
    CHECK(again.log().find(password) == std::string::npos);
    CHECK(post(again.port(), "/api/v1/auth/login",
               R"({"email":"demo-manager@example.org","password":")" + password + R"("})")
              .status == 200);
}
