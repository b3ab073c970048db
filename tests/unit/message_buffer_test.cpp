#include "live/message_buffer.hpp"

#include <boost/asio/buffer.hpp>
#include <catch2/catch.hpp>
#include <cstring>

using sp::live::message_buffer;

TEST_CASE("an idle socket's read buffer offers Beast one small step, and grows for a large message", "[live][buffer]")
{
    message_buffer b(64 * 1024, 256);
    // What Beast prepares before any data arrives: max_size() - size().
    CHECK(b.max_size() - b.size() == 256);
    // A 10,000-byte message arrives in steps; every step has room for the next.
    std::size_t total = 0;
    while (total < 10'000) {
        std::size_t room = b.max_size() - b.size();
        REQUIRE(room == 256);
        auto mb = b.prepare(room);
        std::memset(mb.data(), 'x', mb.size());
        b.commit(room);
        total += room;
    }
    CHECK(b.size() == total);
    CHECK(b.capacity() >= total);
    // Handled: the large buffer is given back.
    b.clear();
    CHECK(b.size() == 0);
    CHECK(b.capacity() <= 4 * 256);
}

TEST_CASE("the hard limit still bounds the read buffer", "[live][buffer]")
{
    message_buffer b(1000, 256);
    auto mb = b.prepare(900);
    b.commit(mb.size());
    CHECK(b.max_size() - b.size() == 100);
}
