#include "task/io_lanes.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <thread>

namespace asio = boost::asio;
using sp::task::io_lanes;

TEST_CASE("each io lane runs its handlers on a thread of its own that knows its lane", "[io_lanes]")
{
    io_lanes lanes(3);
    REQUIRE(lanes.size() == 3);
    CHECK(sp::task::current_lane() == sp::task::no_lane); // not a lane's thread
    lanes.run();
    std::set<std::thread::id> threads;
    for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
        // A handler and the timer after it both run on the lane they were given.
        auto first = asio::post(lanes.executor(lane), asio::use_future([] {
            return std::pair{sp::task::current_lane(), std::this_thread::get_id()};
        }));
        auto [seen, id] = first.get();
        CHECK(seen == lane);
        threads.insert(id);
        asio::steady_timer timer(lanes.context(lane), std::chrono::milliseconds(1));
        auto later = timer.async_wait(asio::use_future);
        later.get();
        auto again = asio::post(lanes.executor(lane), asio::use_future([] { return std::this_thread::get_id(); }));
        CHECK(again.get() == id);
    }
    CHECK(threads.size() == 3);
    CHECK(threads.count(std::this_thread::get_id()) == 0);
    lanes.stop_and_join();
}

TEST_CASE("io lanes are never fewer than one, and each has its own io_context", "[io_lanes]")
{
    io_lanes none(0);
    CHECK(none.size() == 1);
    io_lanes two(2);
    auto contexts = two.contexts();
    REQUIRE(contexts.size() == 2);
    CHECK(contexts[0] == &two.context(0));
    CHECK(contexts[1] == &two.context(1));
    CHECK(contexts[0] != contexts[1]);
}

TEST_CASE("io lanes stopped with work queued destroy it without running it", "[io_lanes]")
{
    auto ran = std::make_shared<int>(0);
    std::weak_ptr<int> watch = ran;
    {
        io_lanes lanes(2);
        // Never run: the handlers (and what they own) are destroyed, not called.
        asio::post(lanes.executor(1), [ran] { ++*ran; });
        ran.reset();
        CHECK_FALSE(watch.expired());
        lanes.stop_and_join();
        lanes.destroy_pending_handlers();
        CHECK(watch.expired());
    }
}
