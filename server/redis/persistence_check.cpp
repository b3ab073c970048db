#include "redis/persistence_check.hpp"

namespace sp::redis {

namespace {
// CONFIG GET answers a flat [name, value] array.
bool config_value(const result& r, std::string& out, std::string& error)
{
    if (!r) {
        error = r.error().message();
        return false;
    }
    if (r->is_error()) {
        error = r->str;
        return false;
    }
    if (r->type != reply::kind::array || r->elements.size() != 2) {
        error = "unexpected CONFIG GET reply";
        return false;
    }
    out = r->elements[1].str;
    return true;
}
} // namespace

boost::asio::awaitable<persistence_report> inspect_persistence(client& redis)
{
    persistence_report report;
    std::string aof;
    // Named arguments, not braced lists: GCC 12 miscompiles initializer lists inside co_await.
    command_args get_aof{"CONFIG", "GET", "appendonly"};
    command_args get_save{"CONFIG", "GET", "save"};
    result aof_reply = co_await redis.command(std::move(get_aof));
    if (!config_value(aof_reply, aof, report.error)) co_return report;
    result save_reply = co_await redis.command(std::move(get_save));
    if (!config_value(save_reply, report.save_points, report.error)) co_return report;
    report.append_only = aof == "yes";
    if (report.append_only) {
        command_args get_fsync{"CONFIG", "GET", "appendfsync"};
        result fsync_reply = co_await redis.command(std::move(get_fsync));
        if (!config_value(fsync_reply, report.appendfsync, report.error)) co_return report;
    }
    report.known = true;
    co_return report;
}

} // namespace sp::redis
