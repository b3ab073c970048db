#include "live/socket_shards.hpp"

#include <boost/asio/post.hpp>
#include <stdexcept>

namespace asio = boost::asio;

namespace sp::live {

socket_shards::socket_shards(const std::vector<asio::io_context::executor_type>& lanes)
{
    if (lanes.empty()) throw std::invalid_argument("socket_shards needs at least one lane");
    strands_.reserve(lanes.size());
    for (const auto& lane : lanes) strands_.push_back(asio::make_strand(lane));
}

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
