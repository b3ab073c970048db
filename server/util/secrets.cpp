#include "util/secrets.hpp"

#include <sodium.h>
#include <stdexcept>
#include <vector>

namespace sp::util {

void secrets_init()
{
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise (no entropy source?)");
}

std::string random_token(std::size_t bytes)
{
    secrets_init();
    std::vector<unsigned char> raw(bytes);
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    sodium_memzero(raw.data(), raw.size());
    return out;
}

std::string random_id(std::string_view prefix)
{
    secrets_init();
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    return std::string(prefix) + hex;
}

std::string sha256_hex(std::string_view data)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

namespace {
void derive_key(std::string_view material, unsigned char (&key)[crypto_secretbox_KEYBYTES])
{
    static constexpr char k_context[] = "sprechstunde idempotent token";
    crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(material.data()), material.size(),
                       reinterpret_cast<const unsigned char*>(k_context), sizeof k_context - 1);
}
} // namespace

std::string seal(std::string_view key_material, std::string_view plaintext)
{
    secrets_init();
    unsigned char key[crypto_secretbox_KEYBYTES];
    derive_key(key_material, key);
    std::vector<unsigned char> box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
    randombytes_buf(box.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box.data() + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), box.data(), key);
    sodium_memzero(key, sizeof key);
    std::string out(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), box.data(), box.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(out.find('\0'));
    return out;
}

std::string unseal(std::string_view key_material, std::string_view sealed)
{
    std::vector<unsigned char> box(sealed.size());
    std::size_t len = 0;
    if (sodium_base642bin(box.data(), box.size(), sealed.data(), sealed.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return {};
    unsigned char key[crypto_secretbox_KEYBYTES];
    derive_key(key_material, key);
    std::string out(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    int rc = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()), box.data() + crypto_secretbox_NONCEBYTES,
                                        len - crypto_secretbox_NONCEBYTES, box.data(), key);
    sodium_memzero(key, sizeof key);
    return rc == 0 ? out : std::string{};
}

bool plausible_token(std::string_view token)
{
    if (token.size() != 43) return false;
    for (char c : token) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

} // namespace sp::util
