#include "api/openapi_document.hpp"
#include "support/accounts.hpp"
#include "support/test_env.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

using namespace sp::test;

namespace {

std::string file_text(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/** Runs validate_openapi.py on `lines` (JSON lines of exchanges); its exit status and output. */
std::pair<int, std::string> contract_check(const std::string& lines)
{
    std::string file = scratch_dir("contract-check") + "/exchanges.jsonl";
    std::ofstream(file) << lines;
    std::string cmd = std::string("/usr/bin/python3 ") + SP_SOURCE_DIR + "/tests/support/validate_openapi.py " +
                      SP_OPENAPI_JSON + " " + file + " 2>&1";
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[512];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    int status = ::pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

} // namespace

TEST_CASE("GET /api/v1/openapi.json serves the document built from schema/http", "[openapi]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url()});
    auto r = http_get(server.port(), "/api/v1/openapi.json");
    CHECK(r.status == 200);
    CHECK(r.header("content-type") == "application/json");
    CHECK(r.body == file_text(SP_OPENAPI_JSON));
    CHECK(json_at(r.body, "/openapi") == "3.1.0");
    CHECK(json_at(r.body, "/paths/~1api~1v1~1sessions~1{id}~1bookings/post/responses/201/content/application~1json/schema/$ref") ==
          "#/components/schemas/booking_created");
}

TEST_CASE("every documented route is served: none answers 405 or falls through to the static files", "[openapi]")
{
    redis_server redis;
    server_process server({"--redis.url=" + redis.url(), "--hub.seed_file=" + bochum_hub_file()});
    browser admin = first_admin(redis, server);
    for (const auto& d : sp::api::documented_routes) {
        std::string target = std::regex_replace(std::string(d.path), std::regex(R"(\{[a-z_]+\})"), "nosuch");
        auto headers = admin.headers();
        headers["Content-Type"] = "application/json";
        auto r = http_request(server.port(), std::string(d.method), target, headers, "{}");
        INFO(d.method << " " << target << " -> " << r.status << " " << r.body);
        CHECK(r.status != 0);
        CHECK(r.status != 405);
        CHECK(json_at(r.body, "/detail") != "no such file");
    }
}

TEST_CASE("the contract check refuses an answer outside the document", "[openapi]")
{
    const std::string good =
        R"({"method":"GET","target":"/api/v1/camps","status":200,"content_type":"application/json","body":"{\"camps\":[]}"})";
    CHECK(contract_check(good + "\n").first == 0);

    auto wrong_body = contract_check(
        R"({"method":"GET","target":"/api/v1/camps?x=1","status":200,"content_type":"application/json","body":"{\"camps\":[{\"id\":\"x\"}]}"})");
    CHECK(wrong_body.first == 1);
    CHECK(wrong_body.second.find("GET /api/v1/camps?x=1 -> 200") != std::string::npos);

    auto wrong_status = contract_check(
        R"({"method":"POST","target":"/api/v1/sessions/a/bookings","status":200,"content_type":"application/json","body":"{}"})");
    CHECK(wrong_status.first == 1);
    CHECK(wrong_status.second.find("status 200 is not documented") != std::string::npos);

    auto not_a_problem = contract_check(
        R"({"method":"GET","target":"/api/v1/sessions/a","status":404,"content_type":"application/json","body":"{\"error\":\"x\"}"})");
    CHECK(not_a_problem.first == 1);
    CHECK(not_a_problem.second.find("content type 'application/json'") != std::string::npos);

    auto body_on_204 = contract_check(
        R"({"method":"POST","target":"/api/v1/auth/logout","status":204,"content_type":"","body":"x"})");
    CHECK(body_on_204.first == 1);
}
