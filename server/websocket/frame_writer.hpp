#pragma once
/**
 * The frames this server sends (RFC 6455 §5): unmasked, FIN set, never fragmented.
 * header() is for data messages (the caller sends the payload after it, e.g. as a
 * second buffer of a gather write, without a copy); control and close frames are
 * small and come whole. Pure functions; thread-safe.
 */
#include "websocket/opcode.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sp::websocket {

struct frame_header {
    std::array<char, 10> bytes{};
    std::uint8_t size = 0;
    std::string_view view() const { return {bytes.data(), size}; }
};

/** The header of an unmasked final frame: 2, 4 or 10 bytes, the shortest encoding of
 *  `payload_length` (RFC 6455 §5.2). */
frame_header header(opcode op, std::uint64_t payload_length);

/** A whole ping or pong frame; a payload above 125 bytes is cut to 125. */
std::string control_frame(opcode op, std::string_view payload);

/** A whole close frame: the code (big-endian) and the reason, cut to 123 bytes at a
 *  UTF-8 character boundary (the reason is expected to be valid UTF-8). Code 1005
 *  (no status) is never sent on the wire: it gives an empty payload. */
std::string close_frame(std::uint16_t code, std::string_view reason);

} // namespace sp::websocket
