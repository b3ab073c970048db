// The server side of the opening handshake (see handshake.hpp).
#include "websocket/handshake.hpp"

#include <openssl/evp.h>
#include <sodium.h>
#include <stdexcept>

namespace sp::websocket {

namespace {

std::string_view trim_ows(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals_ascii(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

/** True if the comma-separated list `value` holds `token` (case-insensitive). */
bool has_token(std::string_view value, std::string_view token)
{
    while (true) {
        auto comma = value.find(',');
        if (iequals_ascii(trim_ows(value.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) return false;
        value.remove_prefix(comma + 1);
    }
}

/** True if `key` is the base64 (with padding) of exactly 16 bytes: 24 characters. */
bool valid_key(std::string_view key)
{
    if (key.size() != 24) return false;
    unsigned char raw[18];
    std::size_t raw_size = 0;
    const char* end = nullptr;
    if (sodium_base642bin(raw, sizeof raw, key.data(), key.size(), nullptr, &raw_size, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return false;
    return raw_size == 16 && end == key.data() + key.size();
}

handshake_result refuse(unsigned status, std::string field, std::string detail)
{
    return {false, status, std::move(field), std::move(detail), {}};
}

} // namespace

handshake_result check_upgrade(const upgrade_request& request)
{
    if (request.method != "GET") return refuse(400, "method", "a WebSocket upgrade must be a GET request");
    if (request.http_version < 11) return refuse(400, "HTTP version", "a WebSocket upgrade needs HTTP/1.1 or later");
    if (!has_token(request.upgrade, "websocket"))
        return refuse(400, "Upgrade", "the Upgrade header must name \"websocket\"");
    if (!has_token(request.connection, "upgrade"))
        return refuse(400, "Connection", "the Connection header must name \"Upgrade\"");
    if (trim_ows(request.version) != "13")
        return refuse(426, "Sec-WebSocket-Version", "only WebSocket version 13 is supported");
    const auto key = trim_ows(request.key);
    if (!valid_key(key))
        return refuse(400, "Sec-WebSocket-Key", "Sec-WebSocket-Key must be the base64 of 16 bytes");
    handshake_result ok;
    ok.ok = true;
    ok.accept = accept_key(key);
    return ok;
}

std::string accept_key(std::string_view client_key)
{
    static constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    std::string input;
    input.reserve(client_key.size() + guid.size());
    input.append(client_key).append(guid);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    if (EVP_Digest(input.data(), input.size(), digest, &digest_size, EVP_sha1(), nullptr) != 1 || digest_size != 20)
        throw std::runtime_error("SHA-1 failed (OpenSSL libcrypto)");
    char encoded[sodium_base64_ENCODED_LEN(20, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(encoded, sizeof encoded, digest, digest_size, sodium_base64_VARIANT_ORIGINAL);
    return encoded; // 28 characters
}

std::string switching_protocols_response(std::string_view accept)
{
    std::string response = "HTTP/1.1 101 Switching Protocols\r\n"
                           "Upgrade: websocket\r\n"
                           "Connection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: ";
    response.append(accept).append("\r\n\r\n");
    return response;
}

} // namespace sp::websocket
