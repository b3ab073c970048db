/**
 * The ordering rules of a live socket (live/session_mailbox), driven without a socket:
 * what a client would see, in the order the transport would write it.
 */
#include "live/session_mailbox.hpp"

#include <catch2/catch.hpp>

using sp::live::session_mailbox;
using sp::live::shared_bytes;
using sp::live::shared_update;
using namespace std::chrono_literals;

namespace {

const auto t0 = session_mailbox::clock::time_point{} + 1h;

shared_bytes bytes(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

/** The state of `session` at change-log version `version`, chosen by the hub as its `seq`th change. */
shared_update change(std::string session, std::string version, std::uint64_t seq)
{
    auto text = session + "@" + version;
    return std::make_shared<const sp::live::session_update>(session, "e1", version, bytes(text), seq);
}

session_mailbox::carried_versions carries(std::initializer_list<std::pair<const char*, const char*>> l)
{
    session_mailbox::carried_versions out;
    for (auto [s, v] : l) out[s] = sp::util::parse_stream_id(v);
    return out;
}

/** Everything the writer would send now, one message per entry (runs flattened). */
std::vector<std::string> written(session_mailbox& m)
{
    std::vector<std::string> out;
    for (;;) {
        auto run = m.next(32, t0);
        if (run.empty()) return out;
        for (auto& b : run) out.push_back(*b);
    }
}

} // namespace

TEST_CASE("nothing is written while a subscription reads its answer", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    m.hold();
    CHECK(m.deliver(change("a", "10-0", 1), t0).queued);
    m.push(bytes("pong"), t0);
    CHECK(m.next(32, t0).empty());
    CHECK(m.answer(bytes("snapshot"), carries({{"b", "9-0"}}), 1, 1, t0));
    CHECK(written(m) == std::vector<std::string>{"pong", "snapshot", "a@10-0"});
}

TEST_CASE("changes after the answer follow it in the order they came", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    m.hold();
    m.answer(bytes("snapshot"), carries({{"a", "5-0"}, {"b", "5-0"}}), 3, 3, t0);
    m.deliver(change("b", "6-0", 4), t0);
    m.deliver(change("a", "7-0", 5), t0);
    m.deliver(change("c", "8-0", 6), t0);
    CHECK(written(m) == std::vector<std::string>{"snapshot", "b@6-0", "a@7-0", "c@8-0"});
}

TEST_CASE("a change that arrives while the answer is read always follows the answer", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    // A state queued before the hold (not written yet) and one that arrives during it:
    // both newer than what the answer carries, so both go out, after it.
    m.deliver(change("a", "6-0", 1), t0);
    m.hold();
    m.deliver(change("b", "7-0", 2), t0);
    m.answer(bytes("resume"), carries({{"a", "5-0"}, {"b", "5-0"}}), 2, 2, t0);
    CHECK(written(m) == std::vector<std::string>{"resume", "a@6-0", "b@7-0"});
}

TEST_CASE("a change the answer already carries is not sent again", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    m.hold();
    m.deliver(change("a", "5-0", 1), t0); // the answer was read after it: carries a@5-0
    m.deliver(change("b", "4-0", 2), t0); // older than the answer's b
    m.deliver(change("c", "6-0", 3), t0); // not in the answer at all
    m.answer(bytes("snapshot"), carries({{"a", "5-0"}, {"b", "5-0"}}), 3, 3, t0);
    CHECK(written(m) == std::vector<std::string>{"snapshot", "c@6-0"});
}

TEST_CASE("a change chosen with the old views and arriving just after the answer is dropped when the answer carries it",
          "[live][mailbox]")
{
    // The hub chose the recipients of change 7 (a@5-0) before the socket's new views,
    // and hands it over after the answer was queued: the answer carries a@5-0.
    session_mailbox m(1 << 20, 1s);
    m.hold();
    m.answer(bytes("resume"), carries({{"a", "5-0"}}), 7, 6, t0);
    CHECK_FALSE(m.deliver(change("a", "5-0", 7), t0).queued);
    // A change chosen before the answer but newer than what it carries still goes out.
    CHECK(m.deliver(change("b", "5-1", 7), t0).queued);
    // The first change chosen after the answer ends the check: a newer a goes out once.
    CHECK(m.deliver(change("a", "6-0", 8), t0).queued);
    CHECK(written(m) == std::vector<std::string>{"resume", "b@5-1", "a@6-0"});
}

TEST_CASE("two answers with changes in flight both keep what they carried", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    m.hold();
    m.answer(bytes("first"), carries({{"a", "5-0"}}), 4, 3, t0);
    m.hold();
    m.answer(bytes("second"), carries({{"b", "5-0"}}), 4, 3, t0);
    CHECK_FALSE(m.deliver(change("a", "5-0", 4), t0).queued);
    CHECK_FALSE(m.deliver(change("b", "5-0", 4), t0).queued);
    CHECK(written(m) == std::vector<std::string>{"first", "second"});
}

TEST_CASE("with no change in flight, a later copy of a carried change is a new change", "[live][mailbox]")
{
    // delivered == chosen: every change chosen with the old views has arrived, so what
    // arrives now was chosen with the new views and is sent (the hub's `covered` keeps
    // a subscription from getting it twice).
    session_mailbox m(1 << 20, 1s);
    m.hold();
    m.answer(bytes("snapshot"), carries({{"a", "5-0"}}), 4, 4, t0);
    CHECK(m.deliver(change("a", "6-0", 5), t0).queued);
    CHECK(written(m) == std::vector<std::string>{"snapshot", "a@6-0"});
}

TEST_CASE("a subscription's state reaches it once: a newer state replaces the pending one", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    CHECK(m.deliver(change("a", "5-0", 1), t0).wake);
    auto second = m.deliver(change("a", "6-0", 2), t0);
    CHECK(second.coalesced);
    CHECK_FALSE(second.wake); // the writer is already on its way
    CHECK(written(m) == std::vector<std::string>{"a@6-0"});
}

TEST_CASE("session states in a row go out as one run, other messages alone", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    m.deliver(change("a", "5-0", 1), t0);
    m.deliver(change("b", "5-1", 2), t0);
    m.push(bytes("pong"), t0);
    m.deliver(change("c", "6-0", 3), t0);
    auto first = m.next(32, t0);
    REQUIRE(first.size() == 2);
    CHECK(*first[0] == "a@5-0");
    CHECK(*first[1] == "b@5-1");
    auto second = m.next(32, t0);
    REQUIRE(second.size() == 1);
    CHECK(*second[0] == "pong");
    CHECK(m.next(32, t0).size() == 1);
}

TEST_CASE("the writer is woken once, and again only after it found nothing", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    CHECK(m.push(bytes("one"), t0));
    CHECK_FALSE(m.push(bytes("two"), t0));
    CHECK(written(m).size() == 2); // ends with an empty next(): the writer is idle
    CHECK(m.push(bytes("three"), t0));
    m.next(32, t0);
    m.writer_stopped(); // a write failed or a close frame went out instead
    CHECK(m.push(bytes("four"), t0));
}

TEST_CASE("an answer with nothing to send ends the hold", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    m.hold();
    m.deliver(change("a", "5-0", 1), t0);
    CHECK(m.next(32, t0).empty());
    CHECK(m.answer(nullptr, {}, 0, 0, t0)); // the read failed: the error was pushed instead
    CHECK(written(m) == std::vector<std::string>{"a@5-0"});
}

TEST_CASE("a socket that began to close while its subscription waited for a turn writes no answer", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    CHECK(m.close()); // the server stops while the subscribe waits for its turn
    CHECK(m.closed());
    CHECK_FALSE(m.close());
    m.hold();
    CHECK_FALSE(m.answer(bytes("snapshot"), {}, 1, 1, t0));
    CHECK_FALSE(m.deliver(change("a", "5-0", 2), t0).queued);
    CHECK_FALSE(m.push(bytes("pong"), t0));
    CHECK(m.next(32, t0).empty());
}

TEST_CASE("a socket that closes with messages queued writes none of them", "[live][mailbox]")
{
    session_mailbox m(1 << 20, 1s);
    m.push(bytes("pong"), t0);
    m.deliver(change("a", "5-0", 1), t0);
    m.close();
    CHECK(m.next(32, t0).empty());
}

TEST_CASE("a backlog too big for too long closes the mailbox and drops it", "[live][mailbox]")
{
    session_mailbox m(16, 1s);
    m.push(bytes(std::string(64, 'x')), t0);
    CHECK_FALSE(m.close_if_overwhelmed(t0));            // over, but not for long
    CHECK_FALSE(m.close_if_overwhelmed(t0 + 500ms));
    auto dropped = m.close_if_overwhelmed(t0 + 2s);
    REQUIRE(dropped);
    CHECK(*dropped == 64);
    CHECK(m.closed());
    CHECK(m.next(32, t0 + 2s).empty());
    CHECK_FALSE(m.close_if_overwhelmed(t0 + 3s)); // closed once
}
