#pragma once
/**
 * Secrets from the operating system's CSPRNG (libsodium's randombytes) and their
 * one-way hashes. A manage token is 32 random bytes (256 bits) in base64url; only its
 * SHA-256 is stored, so a copy of the database does not let anyone manage a booking,
 * and a lookup goes by hash (a hash-table probe, not a byte-wise comparison of secrets).
 * Thread-safe after secrets_init() (called once at start-up; idempotent).
 */
#include <string>
#include <string_view>

namespace sp::util {

void secrets_init();

/** `bytes` random bytes as unpadded base64url (43 characters for 32 bytes). */
std::string random_token(std::size_t bytes = 32);

/** A random identifier: `prefix` + 16 lowercase hex digits (64 bits). */
std::string random_id(std::string_view prefix);

/** Lowercase hex SHA-256 of `data`. */
std::string sha256_hex(std::string_view data);

/** Encrypts `plaintext` with a key derived from `key_material` (XSalsa20-Poly1305,
 *  random nonce); base64url of nonce + ciphertext. Used to keep a manage token in an
 *  idempotency record that only the holder of the idempotency key can open. */
std::string seal(std::string_view key_material, std::string_view plaintext);
/** The plaintext, or an empty string if `sealed` was not made with this key material. */
std::string unseal(std::string_view key_material, std::string_view sealed);

/** True if `token` looks like one of ours (base64url, 43 characters); cheap pre-check
 *  before any lookup. */
bool plausible_token(std::string_view token);

} // namespace sp::util
