#include "live/live_hub.hpp"

#include <catch2/catch.hpp>

using namespace sp::live;

namespace {

struct recording_socket : live_socket {
    std::vector<std::string> versions;
    void deliver_update(const shared_update& u, bool) override { versions.push_back(u->version); }
    void deliver_message(shared_bytes) override {}
    void shutdown() override {}
    void sign_out() override {}
};

change change_at(std::string version, std::string session = "s1")
{
    change c;
    c.version = std::move(version);
    c.type = "booking.created";
    c.session.id = std::move(session);
    c.session.camp_id = "bochum";
    c.session.expert_id = "anna";
    c.session.zone = "Europe/Berlin";
    c.session.start = *sp::domain::parse_rfc3339("2026-12-01T10:00:00Z");
    c.session.end = c.session.start + std::chrono::minutes(30);
    return c;
}

view expert_view(std::string expert)
{
    view v;
    v.type = view::kind::expert;
    v.expert = std::move(expert);
    return v;
}

const auto before_sessions = [] { return *sp::domain::parse_rfc3339("2026-11-30T10:00:00Z"); };

} // namespace

TEST_CASE("a subscription is not sent the changes its answer already carried", "[live][hub]")
{
    live_hub hub(before_sessions);
    auto socket = std::make_shared<recording_socket>();
    REQUIRE(hub.add(socket, "peer", 10));
    hub.set_views(socket.get(), {subscription{"a", expert_view("anna"), order_of("200-0")}});
    // The tailer lags: it publishes changes the resume already sent, then a newer one.
    hub.publish({change_at("100-0"), change_at("200-0"), change_at("200-1"), change_at("300-0")});
    CHECK(socket->versions == std::vector<std::string>{"200-1", "300-0"});
}

TEST_CASE("a change still goes to a socket when another of its views has not seen it", "[live][hub]")
{
    live_hub hub(before_sessions);
    auto socket = std::make_shared<recording_socket>();
    REQUIRE(hub.add(socket, "peer", 10));
    hub.set_views(socket.get(), {subscription{"a", expert_view("anna"), order_of("200-0")},
                                 subscription{"b", expert_view("anna"), {}}});
    hub.publish({change_at("100-0")});
    CHECK(socket->versions == std::vector<std::string>{"100-0"}); // once, though two views match
    hub.set_views(socket.get(), {subscription{"a", expert_view("anna"), order_of("200-0")},
                                 subscription{"b", expert_view("bert"), {}}});
    hub.publish({change_at("150-0")});
    CHECK(socket->versions == std::vector<std::string>{"100-0"}); // b does not watch anna
}
