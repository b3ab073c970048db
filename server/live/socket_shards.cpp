#include "live/socket_shards.hpp"

#include <boost/asio/post.hpp>

namespace asio = boost::asio;

namespace sp::live {

socket_shards::socket_shards(asio::io_context& ioc, std::size_t count)
{
    strands_.reserve(std::max<std::size_t>(count, 1));
    for (std::size_t i = 0; i < std::max<std::size_t>(count, 1); ++i) strands_.push_back(asio::make_strand(ioc));
}

std::size_t socket_shards::pick() { return next_.fetch_add(1, std::memory_order_relaxed) % strands_.size(); }

void socket_shards::wake(std::size_t shard, std::vector<std::shared_ptr<live_socket>> sockets) const
{
    asio::post(strands_.at(shard), [sockets = std::move(sockets)] {
        for (const auto& s : sockets) s->start_writer();
    });
}

void socket_shards::heartbeat(const live_hub& hub) const
{
    auto by_shard = hub.sockets_by_shard(strands_.size());
    for (std::size_t shard = 0; shard < by_shard.size(); ++shard) {
        if (by_shard[shard].empty()) continue;
        asio::post(strands_[shard], [sockets = std::move(by_shard[shard])] {
            for (const auto& s : sockets) s->heartbeat();
        });
    }
}

} // namespace sp::live
