#pragma once
/**
 * Test helpers for the WebSocket codec: client frames built by hand (masked with a
 * given key, any length encoding, any header bits) and a plain reader of server frames
 * that does not share code with server/websocket/. Header-only; thread-safe.
 */
#include "websocket/opcode.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp::websocket::test {

enum class length_form { minimal, bits16, bits64 };

struct frame_spec {
    std::uint8_t first_byte = 0x81; // FIN + text
    std::string_view payload;
    std::array<unsigned char, 4> key{0x37, 0xfa, 0x21, 0x3d}; // RFC 6455 §5.7's example key
    bool masked = true;
    length_form form = length_form::minimal;
    std::optional<std::uint64_t> claimed_length; // a length field other than payload.size()
};

inline std::string client_frame(const frame_spec& f)
{
    std::string out;
    out.push_back(static_cast<char>(f.first_byte));
    const std::uint64_t n = f.claimed_length.value_or(f.payload.size());
    const char mask_bit = f.masked ? '\x80' : '\0';
    auto form = f.form;
    if (form == length_form::minimal) form = n < 126 ? form : n <= 0xFFFF ? length_form::bits16 : length_form::bits64;
    if (form == length_form::minimal) {
        out.push_back(static_cast<char>(mask_bit | static_cast<char>(n)));
    } else if (form == length_form::bits16) {
        out.push_back(static_cast<char>(mask_bit | 126));
        out.push_back(static_cast<char>(n >> 8));
        out.push_back(static_cast<char>(n & 0xFF));
    } else {
        out.push_back(static_cast<char>(mask_bit | 127));
        for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
    }
    if (f.masked) out.append(reinterpret_cast<const char*>(f.key.data()), 4);
    for (std::size_t i = 0; i < f.payload.size(); ++i)
        out.push_back(static_cast<char>(f.payload[i] ^ (f.masked ? f.key[i % 4] : 0)));
    return out;
}

/** A masked frame with FIN set or not. */
inline std::string client_frame(opcode op, std::string_view payload, bool fin = true)
{
    frame_spec f;
    f.first_byte = static_cast<std::uint8_t>((fin ? 0x80 : 0) | static_cast<std::uint8_t>(op));
    f.payload = payload;
    return client_frame(f);
}

inline std::string close_payload(std::uint16_t code, std::string_view reason = {})
{
    std::string p;
    p.push_back(static_cast<char>(code >> 8));
    p.push_back(static_cast<char>(code & 0xFF));
    p.append(reason);
    return p;
}

/** One server frame read back: nullopt if `wire` is not exactly one unmasked frame. */
struct server_frame {
    bool fin = false;
    unsigned opcode = 0;
    std::size_t header_size = 0;
    std::string payload;
};

inline std::optional<server_frame> read_server_frame(std::string_view wire)
{
    if (wire.size() < 2) return std::nullopt;
    const auto* b = reinterpret_cast<const unsigned char*>(wire.data());
    server_frame f;
    f.fin = (b[0] & 0x80) != 0;
    f.opcode = b[0] & 0x0F;
    if ((b[0] & 0x70) || (b[1] & 0x80)) return std::nullopt; // reserved bits or a mask
    std::uint64_t n = b[1] & 0x7F;
    std::size_t pos = 2;
    if (n == 126 || n == 127) {
        const std::size_t ext = n == 126 ? 2 : 8;
        if (wire.size() < 2 + ext) return std::nullopt;
        n = 0;
        for (std::size_t i = 0; i < ext; ++i) n = (n << 8) | b[2 + i];
        pos += ext;
    }
    if (wire.size() - pos != n) return std::nullopt;
    f.header_size = pos;
    f.payload = std::string(wire.substr(pos));
    return f;
}

} // namespace sp::websocket::test
