#include "store/guess_store.hpp"

#include "store/scripts/account_scripts.hpp"

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

guess_store::guess_store(script_runner& runner) : runner_(runner), redis_(runner.redis()), keys_(runner.key()) {}

asio::awaitable<result<std::chrono::milliseconds>> guess_store::step(std::string mode, std::string address, int limit,
                                                                     std::chrono::seconds window)
{
    scripts::token_misses::input in{keys_.token_misses(util::sha256_hex(guessing_unit(address))), std::move(mode),
                                    limit, std::chrono::milliseconds(window)};
    auto r = co_await runner_.run<scripts::token_misses>(std::move(in));
    auto out = result<std::chrono::milliseconds>::failed(r);
    out.value = r.value.wait;
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
