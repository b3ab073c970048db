#pragma once
/**
 * Argon2id password hashes (libsodium crypto_pwhash_str, interactive limits: 64 MiB,
 * 2 passes) computed on a small pool of its own, never on an io thread: a hash takes
 * tens of milliseconds and 64 MiB, and an io thread must keep serving. Verifying an
 * unknown account runs against a dummy hash, so it costs the same time as a wrong
 * password and reveals nothing. Thread-safe.
 */
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <string>

namespace sp::auth {

class password_hasher {
public:
    explicit password_hasher(std::size_t threads);
    ~password_hasher();

    /** The encoded Argon2id hash of `password` (empty if libsodium ran out of memory). */
    boost::asio::awaitable<std::string> hash(std::string password);
    /** True if `password` matches `encoded`; with an empty `encoded` it checks against a
     *  dummy hash and returns false, taking the same time. */
    boost::asio::awaitable<bool> verify(std::string encoded, std::string password);

    /** Blocking variants for tools (never on an io thread). */
    std::string hash_now(const std::string& password) const;

private:
    boost::asio::thread_pool pool_;
    std::string dummy_;
};

} // namespace sp::auth
