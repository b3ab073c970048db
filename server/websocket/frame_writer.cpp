// Server-to-client frames (see frame_writer.hpp).
#include "websocket/frame_writer.hpp"

#include <algorithm>

namespace sp::websocket {

frame_header header(opcode op, std::uint64_t payload_length)
{
    frame_header h;
    h.bytes[0] = static_cast<char>(0x80 | static_cast<std::uint8_t>(op));
    if (payload_length < 126) {
        h.bytes[1] = static_cast<char>(payload_length);
        h.size = 2;
    } else if (payload_length <= 0xFFFF) {
        h.bytes[1] = 126;
        h.bytes[2] = static_cast<char>(payload_length >> 8);
        h.bytes[3] = static_cast<char>(payload_length & 0xFF);
        h.size = 4;
    } else {
        h.bytes[1] = 127;
        for (int i = 0; i < 8; ++i) h.bytes[2 + i] = static_cast<char>(payload_length >> (8 * (7 - i)));
        h.size = 10;
    }
    return h;
}

std::string control_frame(opcode op, std::string_view payload)
{
    payload = payload.substr(0, 125);
    std::string frame{header(op, payload.size()).view()};
    frame.append(payload);
    return frame;
}

std::string close_frame(std::uint16_t code, std::string_view reason)
{
    constexpr std::uint16_t no_status = 1005;
    if (code == no_status) return std::string{header(opcode::close, 0).view()};
    std::size_t cut = std::min<std::size_t>(reason.size(), 123);
    // Back to the start of the character the cut falls in (continuation bytes are 10xxxxxx).
    if (cut < reason.size())
        while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
    reason = reason.substr(0, cut);
    std::string frame{header(opcode::close, 2 + reason.size()).view()};
    frame.push_back(static_cast<char>(code >> 8));
    frame.push_back(static_cast<char>(code & 0xFF));
    frame.append(reason);
    return frame;
}

} // namespace sp::websocket
