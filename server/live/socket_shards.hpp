#pragma once
/**
 * The strands live sockets run on: one per io lane (task/io_lanes.hpp), shared by the
 * sockets that lane accepted, instead of a strand per socket. A socket stays on the lane
 * its HTTP connection came in on: its handlers never change threads. A change then wakes the idle
 * writers of one shard with one posted handler instead of one per socket, and the
 * completions of their writes queue behind it on the running strand instead of each
 * going through the io_context's queue on its own (the per-socket hops were about a
 * quarter of the fan-out's profile). A shard is serialised like a single-threaded
 * io_context: its sockets' handlers never run at once, and no socket waits behind
 * another's I/O, only behind its handlers, which never block.
 * Thread-safety: every member from any thread.
 */
#include "live/live_hub.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <vector>

namespace sp::live {

class socket_shards {
public:
    using executor = boost::asio::strand<boost::asio::io_context::executor_type>;

    /** One strand on each of `lanes` (at least one): shard i runs on lanes[i]. */
    explicit socket_shards(const std::vector<boost::asio::io_context::executor_type>& lanes);

    std::size_t size() const { return strands_.size(); }
    const executor& strand(std::size_t shard) const { return strands_.at(shard); }
    /** The hub's waker: one handler on the shard starts every socket's writer. */
    void wake(std::size_t shard, std::vector<std::shared_ptr<live_socket>> sockets) const;
    /** One heartbeat for every socket of `hub`: one handler per shard, not a timer per
     *  socket (an idle socket carries none). */
    void heartbeat(const live_hub& hub) const;

private:
    std::vector<executor> strands_;
};

} // namespace sp::live
