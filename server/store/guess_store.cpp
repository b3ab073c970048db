#include "store/guess_store.hpp"

#include "store/reply_helpers.hpp"
#include "util/secrets.hpp"

#include <boost/asio/ip/address.hpp>

namespace asio = boost::asio;

namespace sp::store {

std::string guessing_unit(std::string_view address)
{
    boost::system::error_code ec;
    auto a = asio::ip::make_address(std::string(address), ec);
    if (ec || !a.is_v6() || a.to_v6().is_v4_mapped()) return std::string(address);
    auto bytes = a.to_v6().to_bytes();
    for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
    return asio::ip::address_v6(bytes).to_string() + "/64";
}

guess_store::guess_store(redis::client& redis, keys k) : redis_(redis), keys_(std::move(k)) {}

asio::awaitable<result<std::chrono::milliseconds>> guess_store::step(std::string mode, std::string address, int limit,
                                                                     std::chrono::seconds window)
{
    result<std::chrono::milliseconds> out;
    std::vector<std::string> ks{keys_.token_misses(util::sha256_hex(guessing_unit(address)))};
    std::vector<std::string> args{std::move(mode), std::to_string(limit),
                                  std::to_string(std::chrono::milliseconds(window).count())};
    redis::result r = co_await redis_.eval("token_misses", std::move(ks), std::move(args));
    if (!usable(r, out)) co_return out;
    out.value = std::chrono::milliseconds(r->integer);
    co_return out;
}

asio::awaitable<result<std::chrono::milliseconds>> guess_store::wait_for(std::string address, int limit,
                                                                         std::chrono::seconds window)
{
    std::string mode = "check";
    co_return co_await step(std::move(mode), std::move(address), limit, window);
}

asio::awaitable<result<std::chrono::milliseconds>> guess_store::count_miss(std::string address, int limit,
                                                                           std::chrono::seconds window)
{
    std::string mode = "miss";
    co_return co_await step(std::move(mode), std::move(address), limit, window);
}

} // namespace sp::store
