#include "auth/password_hasher.hpp"

#include "util/secrets.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sodium.h>

namespace asio = boost::asio;

namespace sp::auth {

password_hasher::password_hasher(std::size_t threads) : pool_(threads)
{
    util::secrets_init();
    dummy_ = hash_now(util::random_token(16));
}

password_hasher::~password_hasher()
{
    pool_.stop();
    pool_.join();
}

std::string password_hasher::hash_now(const std::string& password) const
{
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return {};
    return out;
}

asio::awaitable<std::string> password_hasher::hash(std::string password)
{
    auto home = co_await asio::this_coro::executor;
    co_await asio::post(pool_, asio::use_awaitable); // off the io thread
    std::string encoded = hash_now(password);
    sodium_memzero(password.data(), password.size());
    co_await asio::post(home, asio::use_awaitable); // and back
    co_return encoded;
}

asio::awaitable<bool> password_hasher::verify(std::string encoded, std::string password)
{
    auto home = co_await asio::this_coro::executor;
    co_await asio::post(pool_, asio::use_awaitable);
    bool known = !encoded.empty();
    const std::string& against = known ? encoded : dummy_;
    bool ok = crypto_pwhash_str_verify(against.c_str(), password.data(), password.size()) == 0;
    sodium_memzero(password.data(), password.size());
    co_await asio::post(home, asio::use_awaitable);
    co_return known && ok;
}

} // namespace sp::auth
