#include "live/live_hub.hpp"

#include <catch2/catch.hpp>

using namespace sp::live;

namespace {

struct recording_socket : live_socket {
    std::vector<std::string> versions;
    bool deliver_update(const shared_update& u, bool) override
    {
        versions.push_back(u->version);
        return false;
    }
    void start_writer() override {}
    std::size_t shard() const override { return 0; }
    void deliver_message(shared_bytes) override {}
    void shutdown() override {}
    void sign_out() override {}
    void heartbeat() override {}
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

namespace {

/** A socket whose writer is idle until woken, on a given shard. */
struct idle_writer_socket : live_socket {
    std::size_t on_shard;
    bool writing = false;
    int started = 0;
    explicit idle_writer_socket(std::size_t shard) : on_shard(shard) {}
    bool deliver_update(const shared_update&, bool) override
    {
        if (writing) return false;
        writing = true;
        return true;
    }
    void start_writer() override { ++started; }
    std::size_t shard() const override { return on_shard; }
    void deliver_message(shared_bytes) override {}
    void shutdown() override {}
    void sign_out() override {}
    void heartbeat() override {}
};

} // namespace

TEST_CASE("a batch of changes wakes each idle writer once, with one call per shard", "[live][hub]")
{
    std::vector<std::pair<std::size_t, std::vector<std::shared_ptr<live_socket>>>> calls;
    live_hub hub(before_sessions, [&](std::size_t shard, std::vector<std::shared_ptr<live_socket>> sockets) {
        calls.emplace_back(shard, std::move(sockets));
    });
    std::vector<std::shared_ptr<idle_writer_socket>> sockets;
    for (std::size_t i = 0; i < 6; ++i) {
        sockets.push_back(std::make_shared<idle_writer_socket>(i % 2));
        REQUIRE(hub.add(sockets.back(), "peer" + std::to_string(i), 10));
        hub.set_views(sockets.back().get(), {subscription{"a", expert_view("anna"), {}}});
    }
    sockets[4]->writing = true; // already writing: it takes the changes from its queue itself

    hub.publish({change_at("100-0"), change_at("101-0", "s2")});
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].first == 0);
    CHECK(calls[0].second.size() == 2); // sockets 0 and 2; 4 was writing
    CHECK(calls[1].first == 1);
    CHECK(calls[1].second.size() == 3); // sockets 1, 3 and 5
    for (auto& [shard, woken] : calls)
        for (auto& s : woken) CHECK(s->shard() == shard);

    // Nobody idle: no call at all.
    calls.clear();
    hub.publish({change_at("102-0")});
    CHECK(calls.empty());
    for (auto& s : sockets) hub.remove(s.get());
}

TEST_CASE("without a waker the hub starts idle writers itself", "[live][hub]")
{
    live_hub hub(before_sessions);
    auto socket = std::make_shared<idle_writer_socket>(3);
    REQUIRE(hub.add(socket, "peer", 10));
    hub.set_views(socket.get(), {subscription{"a", expert_view("anna"), {}}});
    hub.publish({change_at("100-0")});
    CHECK(socket->started == 1);
    hub.remove(socket.get());
}

TEST_CASE("the heartbeat's sockets come grouped by their shard, each once, and a socket that left is not among them",
          "[live][hub]")
{
    live_hub hub(before_sessions);
    std::vector<std::shared_ptr<idle_writer_socket>> sockets;
    for (std::size_t i = 0; i < 5; ++i) {
        sockets.push_back(std::make_shared<idle_writer_socket>(i % 2));
        REQUIRE(hub.add(sockets.back(), "peer", 10));
    }
    hub.remove(sockets[2].get());
    auto by_shard = hub.sockets_by_shard(2);
    REQUIRE(by_shard.size() == 2);
    CHECK(by_shard[0].size() == 2); // 0 and 4; 2 left
    CHECK(by_shard[1].size() == 2); // 1 and 3
    for (std::size_t shard = 0; shard < 2; ++shard)
        for (const auto& s : by_shard[shard]) {
            CHECK(s->shard() == shard);
            CHECK(s.get() != sockets[2].get());
        }
}
