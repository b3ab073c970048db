#pragma once
/**
 * The WebSocket frame opcodes (RFC 6455 §5.2) that the frame parser and the frame
 * writer share. Values as on the wire; 3-7 and 11-15 are reserved and not listed.
 * A plain enum; thread-safe.
 */
#include <cstdint>

namespace sp::websocket {

enum class opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

/** True for close, ping and pong (opcodes 8-15 are control frames, RFC 6455 §5.5). */
constexpr bool is_control(opcode op)
{
    return (static_cast<std::uint8_t>(op) & 0x08) != 0;
}

} // namespace sp::websocket
