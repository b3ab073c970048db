#include "live/update_queue.hpp"

#include <catch2/catch.hpp>

using sp::live::shared_bytes;
using sp::live::update_queue;
using namespace std::chrono_literals;

namespace {
shared_bytes bytes(std::string s) { return std::make_shared<const std::string>(std::move(s)); }
const auto t0 = update_queue::clock::time_point{} + 1h;
} // namespace

TEST_CASE("a newer state of a session replaces the pending one where it stands in line", "[live][queue]")
{
    update_queue q(1 << 20, 1s);
    q.push_update("a", bytes("a1"), t0);
    q.push_update("b", bytes("b1"), t0);
    q.push_update("a", bytes("a2"), t0);
    q.push_update("a", bytes("a3"), t0);
    CHECK(q.pending_messages() == 2);
    CHECK(q.coalesced() == 2);
    CHECK(*q.pop(t0) == "a3");
    CHECK(*q.pop(t0) == "b1");
    CHECK(q.pop(t0) == nullptr);
}

TEST_CASE("after a state was sent, the next one for that session queues again", "[live][queue]")
{
    update_queue q(1 << 20, 1s);
    q.push_update("a", bytes("a1"), t0);
    CHECK(*q.pop(t0) == "a1");
    q.push_update("a", bytes("a2"), t0);
    q.push_update("b", bytes("b1"), t0);
    q.push_update("a", bytes("a3"), t0);
    CHECK(*q.pop(t0) == "a3");
    CHECK(*q.pop(t0) == "b1");
    CHECK(q.empty());
}

TEST_CASE("plain messages keep their order and are never merged", "[live][queue]")
{
    update_queue q(1 << 20, 1s);
    q.push_message(bytes("snapshot"), t0);
    q.push_update("a", bytes("a1"), t0);
    q.push_message(bytes("pong"), t0);
    q.push_message(bytes("pong"), t0);
    CHECK(*q.pop(t0) == "snapshot");
    CHECK(*q.pop(t0) == "a1");
    CHECK(*q.pop(t0) == "pong");
    CHECK(*q.pop(t0) == "pong");
}

TEST_CASE("memory stays bounded by the sessions watched, whatever the update rate", "[live][queue]")
{
    update_queue q(1 << 20, 1s);
    for (int i = 0; i < 100'000; ++i) q.push_update("s" + std::to_string(i % 50), bytes(std::string(100, 'x')), t0);
    CHECK(q.pending_messages() == 50);
    CHECK(q.pending_bytes() == 50 * 100);
    CHECK(q.coalesced() == 100'000 - 50);
}

TEST_CASE("a backlog over the bound for longer than the grace marks the consumer as overwhelmed", "[live][queue]")
{
    update_queue q(1000, 500ms);
    for (int i = 0; i < 20; ++i) q.push_message(bytes(std::string(100, 'x')), t0);
    CHECK_FALSE(q.overwhelmed(t0 + 400ms));
    CHECK(q.overwhelmed(t0 + 600ms));
    // Draining below the bound clears it at once.
    while (q.pending_bytes() > 900) q.pop(t0 + 700ms);
    CHECK_FALSE(q.overwhelmed(t0 + 2s));
}

TEST_CASE("a consumer that drains in time is never overwhelmed", "[live][queue]")
{
    update_queue q(1000, 500ms);
    auto t = t0;
    for (int i = 0; i < 100; ++i) {
        q.push_message(bytes(std::string(600, 'x')), t);
        q.push_message(bytes(std::string(600, 'x')), t); // briefly over the bound
        t += 100ms;
        q.pop(t);
        q.pop(t);
        CHECK_FALSE(q.overwhelmed(t));
    }
}

TEST_CASE("clear drops everything pending", "[live][queue]")
{
    update_queue q(100, 1s);
    q.push_update("a", bytes(std::string(200, 'x')), t0);
    q.push_message(bytes("m"), t0);
    q.clear();
    CHECK(q.empty());
    CHECK(q.pending_bytes() == 0);
    CHECK_FALSE(q.overwhelmed(t0 + 1h));
    q.push_update("a", bytes("a2"), t0);
    CHECK(*q.pop(t0) == "a2");
}

TEST_CASE("two sessions whose keys collide are both sent, each with its latest state", "[live][queue]")
{
    using sp::live::session_update;
    auto update = [](std::string session, std::string text) {
        auto u = std::make_shared<session_update>(std::move(session), "", "", bytes(std::move(text)));
        u->key = 42; // force the collision
        return std::shared_ptr<const session_update>(u);
    };
    update_queue q(1 << 20, 1s);
    q.push_update(update("a", "a1"), t0);
    q.push_update(update("b", "b1"), t0);
    q.push_update(update("b", "b2"), t0);
    CHECK(q.pending_messages() == 2);
    CHECK(*q.pop(t0) == "a1");
    CHECK(*q.pop(t0) == "b2");
    CHECK(q.empty());
}

TEST_CASE("states taken out of the line leave the rest in order, still merging", "[live][queue]")
{
    using sp::live::session_update;
    auto update = [](std::string session, std::string version) {
        return std::make_shared<const session_update>(session, "", version, bytes(session + "@" + version));
    };
    update_queue q(1 << 20, 1s);
    q.push_message(bytes("hello"), t0);
    q.push_update(update("a", "1-0"), t0);
    q.push_update(update("b", "2-0"), t0);
    q.push_update(update("c", "3-0"), t0);
    q.push_update(update("a", "4-0"), t0); // merges into a's place
    auto taken = q.take_updates([](const session_update& u) { return u.session_id != "b"; }, t0);
    REQUIRE(taken.size() == 2);
    CHECK(taken[0]->version == "4-0"); // a's newest state, where a stood
    CHECK(taken[1]->session_id == "c");
    CHECK(q.pending_messages() == 2);
    CHECK(q.pending_bytes() == std::string("hello").size() + std::string("b@2-0").size());
    // b still merges in its place; a queues anew at the end.
    q.push_update(update("a", "6-0"), t0);
    q.push_update(update("b", "5-0"), t0);
    CHECK(q.pending_messages() == 3);
    CHECK(*q.pop(t0) == "hello");
    CHECK(*q.pop(t0) == "b@5-0");
    CHECK(*q.pop(t0) == "a@6-0");
    CHECK(q.empty());
    CHECK(q.take_updates([](const session_update&) { return true; }, t0).empty());
}

TEST_CASE("taking no state out of the line leaves every message in it", "[live][queue]")
{
    using sp::live::session_update;
    update_queue q(1 << 20, 1s);
    q.push_message(bytes("hello"), t0);
    q.push_update("a", bytes("a1"), t0);
    q.push_update("b", bytes("b1"), t0);
    CHECK(*q.pop(t0) == "hello");
    CHECK(q.take_updates([](const session_update&) { return false; }, t0).empty());
    CHECK(q.pending_messages() == 2);
    q.push_update("a", bytes("a2"), t0);
    CHECK(*q.pop(t0) == "a2");
    CHECK(*q.pop(t0) == "b1");
    CHECK(q.empty());
}

TEST_CASE("a line that never drains keeps its order and merging while it is compacted", "[live][queue]")
{
    update_queue q(1 << 20, 1s);
    // Always about 100 behind: the sent front is dropped now and then, under the index.
    int next_push = 0, next_pop = 0;
    for (int round = 0; round < 50; ++round) {
        for (int i = 0; i < 30; ++i, ++next_push) q.push_update("s" + std::to_string(next_push), bytes(std::to_string(next_push)), t0);
        q.push_update("s" + std::to_string(next_push - 5), bytes("merged"), t0); // merges where it stands
        for (int i = 0; i < 28 && q.pending_messages() > 100; ++i, ++next_pop) {
            auto m = q.pop(t0);
            REQUIRE(m);
            CHECK((*m == std::to_string(next_pop) || *m == "merged"));
        }
    }
    CHECK(q.coalesced() == 50);
    while (auto m = q.pop(t0)) CHECK((*m == std::to_string(next_pop++) || *m == "merged"));
    CHECK(next_pop == next_push);
    CHECK(q.pending_bytes() == 0);
}

TEST_CASE("a line that grows long and drains again merges a session's states all along", "[live][queue]")
{
    // A short line is scanned, a long one indexed (see update_queue.cpp): merging must not
    // notice the switch either way, nor a line that empties in between.
    update_queue q(1 << 20, 1s);
    for (int round = 0; round < 3; ++round) {
        q.push_update("s3", bytes("early"), t0);
        for (int i = 0; i < 40; ++i) q.push_update("s" + std::to_string(i), bytes(std::to_string(i)), t0);
        q.push_update("s3", bytes("late"), t0); // merges where s3 stands, the line now indexed
        q.push_update("s39", bytes("last"), t0);
        CHECK(q.pending_messages() == 40);
        CHECK(*q.pop(t0) == "late"); // s3 came first
        for (int i = 0; i < 40; ++i) {
            if (i == 3) continue;
            auto m = q.pop(t0);
            REQUIRE(m);
            CHECK(*m == (i == 39 ? "last" : std::to_string(i)));
        }
        CHECK(q.empty());
        // Drained: short again, and still merging.
        q.push_update("a", bytes("a1"), t0);
        q.push_update("b", bytes("b1"), t0);
        q.push_update("a", bytes("a2"), t0);
        CHECK(*q.pop(t0) == "a2");
        CHECK(*q.pop(t0) == "b1");
        CHECK(q.empty());
    }
    CHECK(q.coalesced() == 3 * 4);
}
