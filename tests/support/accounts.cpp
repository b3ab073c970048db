#include "support/accounts.hpp"

#include <catch2/catch.hpp>
#include <fstream>

namespace sp::test {

using namespace std::chrono_literals;

const std::string k_password = "a long and unusual passphrase";

std::map<std::string, std::string> browser::headers(bool with_csrf) const
{
    std::map<std::string, std::string> h{{"Cookie", "sp_session=" + session + "; sp_csrf=" + csrf},
                                         {"Content-Type", "application/json"}};
    if (with_csrf) h["X-CSRF-Token"] = csrf;
    return h;
}

std::string set_cookie_value(const http_reply& r, const std::string& name)
{
    std::string all = r.header("set-cookie");
    auto p = all.find(name + "=");
    if (p == std::string::npos) return {};
    p += name.size() + 1;
    return all.substr(p, all.find(';', p) - p);
}

browser from(const http_reply& r) { return {set_cookie_value(r, "sp_session"), set_cookie_value(r, "sp_csrf")}; }

std::string invite_admin(const redis_server& redis, const std::string& email)
{
    std::string log = scratch_dir("admin") + "/out.log";
    auto child = sp::util::child_process::spawn({SP_ADMIN_BINARY, "--redis.url=" + redis.url(), "invite-admin", email}, log);
    auto status = child.wait_for(30s);
    REQUIRE(status);
    REQUIRE(exit_code(*status) == 0);
    std::ifstream in(log);
    std::string url;
    std::getline(in, url);
    REQUIRE(url.find("/invite/") != std::string::npos);
    return url.substr(url.rfind('/') + 1);
}

http_reply post(std::uint16_t port, const std::string& target, const std::string& body,
                std::map<std::string, std::string> headers)
{
    return http_request(port, "POST", target, headers, body);
}

browser first_admin(const redis_server& redis, const server_process& server)
{
    std::string token = invite_admin(redis, "manager@hub.example.org");
    http_reply r = post(server.port(), "/api/v1/auth/invitations/" + token + "/accept",
                        R"({"password":")" + k_password + R"("})");
    REQUIRE(r.status == 201);
    return from(r);
}

browser invited_expert(const server_process& server, const browser& admin, const std::string& email,
                       const std::string& expert_id)
{
    http_reply inv = post(server.port(), "/api/v1/admin/invitations",
                          R"({"email":")" + email + R"(","role":"expert","expert_id":")" + expert_id + R"("})",
                          admin.headers());
    REQUIRE(inv.status == 201);
    http_reply r = post(server.port(), "/api/v1/auth/invitations/" + json_at(inv.body, "/invitation_token") + "/accept",
                        R"({"password":"the expert's own passphrase"})");
    REQUIRE(r.status == 201);
    return from(r);
}

} // namespace sp::test
