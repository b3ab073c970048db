#include "redis_checks.hpp"

#include <hiredis/hiredis.h>
#include <memory>
#include <stdexcept>

namespace sp::bench {
namespace {

struct context_deleter {
    void operator()(redisContext* c) const { redisFree(c); }
};
struct reply_deleter {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using context_ptr = std::unique_ptr<redisContext, context_deleter>;
using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

context_ptr connect(std::uint16_t port)
{
    timeval tv{10, 0};
    context_ptr c(redisConnectWithTimeout("127.0.0.1", port, tv));
    if (!c || c->err) throw std::runtime_error("cannot connect to redis on port " + std::to_string(port));
    redisSetTimeout(c.get(), tv);
    return c;
}

reply_ptr command(redisContext* c, const std::vector<std::string>& args)
{
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    reply_ptr r(static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data())));
    if (!r) throw std::runtime_error("redis command failed: " + args.front());
    if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error("redis: " + std::string(r->str, r->len));
    return r;
}

// Runs inside Redis, so ten thousand sessions cost one round trip. Read-only.
constexpr const char* k_oversell_check = R"lua(
local prefix = ARGV[1]
local ids = redis.call('ZRANGE', prefix .. 'sessions', 0, -1)
local oversold, mismatched, bookings = 0, 0, 0
for _, id in ipairs(ids) do
  local key = prefix .. 'session:' .. id
  local s = redis.call('HMGET', key, 'seats', 'taken')
  local seats, taken = tonumber(s[1]) or 0, tonumber(s[2]) or 0
  local held = redis.call('SCARD', key .. ':bookings')
  if taken > seats then oversold = oversold + 1 end
  if held ~= taken then mismatched = mismatched + 1 end
  bookings = bookings + held
end
return {#ids, oversold, mismatched, bookings, redis.call('ZCARD', prefix .. 'outbox')}
)lua";

} // namespace

std::vector<std::string> list_sessions(std::uint16_t redis_port, const std::string& prefix, const std::string& index,
                                       std::int64_t min_start)
{
    auto c = connect(redis_port);
    std::string after = "(";
    after += std::to_string(min_start); // (not "(" + …: GCC 12 warns falsely, -Wrestrict)
    auto r = command(c.get(), {"ZRANGEBYSCORE", prefix + index, after, "+inf"});
    std::vector<std::string> out;
    for (std::size_t i = 0; i < r->elements; ++i)
        out.emplace_back(r->element[i]->str, r->element[i]->len);
    return out;
}

bool check_no_oversell(std::uint16_t redis_port, const std::string& prefix, json_out& out)
{
    auto c = connect(redis_port);
    auto r = command(c.get(), {"EVAL", k_oversell_check, "0", prefix});
    auto at = [&](std::size_t i) -> std::int64_t { return r->elements > i ? r->element[i]->integer : -1; };
    bool ok = at(0) > 0 && at(1) == 0 && at(2) == 0;
    out.begin_object();
    out.key("sessions").value(at(0)).key("oversold").value(at(1)).key("mismatched").value(at(2));
    out.key("bookings").value(at(3)).key("outbox_queued").value(at(4)).key("ok").value(ok);
    out.end_object();
    return ok;
}

} // namespace sp::bench
