#include "redis/error.hpp"

#include <string>

namespace sp::redis {
namespace {

class category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "redis"; }
    std::string message(int ev) const override
    {
        switch (static_cast<errc>(ev)) {
        case errc::not_connected: return "redis is not connected";
        case errc::timeout: return "redis did not answer in time";
        case errc::connection_lost: return "redis connection lost with the command in flight";
        case errc::overloaded: return "too many redis commands in flight";
        case errc::shut_down: return "redis connection shut down";
        case errc::unexpected_reply: return "unexpected reply from redis";
        case errc::not_primary: return "redis node is a replica now (failover in progress)";
        case errc::not_replicated: return "the write is on the redis primary but not confirmed by enough replicas";
        case errc::script_failed: return "a redis script failed (a defect of the server)";
        }
        return "unknown redis error";
    }
};

} // namespace

const boost::system::error_category& error_category()
{
    static const category instance;
    return instance;
}

} // namespace sp::redis
