// The incremental parser of client frames (see frame_parser.hpp).
#include "websocket/frame_parser.hpp"

#include "websocket/opcode.hpp"

#include <cstring>

namespace sp::websocket {

namespace {

/** XORs `n` bytes with the 4-byte masking key (RFC 6455 §5.3), eight at a time. */
void unmask(char* p, std::size_t n, const char* key)
{
    std::uint32_t k4;
    std::memcpy(&k4, key, 4);
    const std::uint64_t k8 = (std::uint64_t{k4} << 32) | k4; // the key twice, in memory order on any endianness
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        w ^= k8;
        std::memcpy(p + i, &w, 8);
    }
    for (; i < n; ++i) p[i] = static_cast<char>(p[i] ^ key[i & 3]);
}

std::uint64_t big_endian(const unsigned char* p, std::size_t n)
{
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
    return v;
}

} // namespace

bool close_code_allowed_on_wire(std::uint16_t code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

frame_parser::frame_parser(std::size_t max_message_bytes) : max_message_(max_message_bytes) {}

void frame_parser::feed(std::string_view bytes)
{
    if (finished_) {
        release();
        return;
    }
    compact();
    buffer_.append(bytes);
}

event frame_parser::next()
{
    if (finished_) {
        release(); // a close event's payload pointed into the buffer until now
        return {};
    }
    for (;;) {
        const std::size_t avail = buffer_.size() - parse_pos_;
        const auto* h = reinterpret_cast<const unsigned char*>(buffer_.data() + parse_pos_);
        if (avail < 1) return need_more();

        // The first byte: FIN, RSV1-3, opcode. Judged as soon as it arrives.
        const bool fin = (h[0] & 0x80) != 0;
        if (h[0] & 0x70) return fail(close_code::protocol_error, "reserved bits set (no extension was negotiated)");
        const auto op = static_cast<opcode>(h[0] & 0x0F);
        const bool control = is_control(op);
        switch (op) {
        case opcode::continuation:
            if (!in_message_) return fail(close_code::protocol_error, "continuation frame without a message");
            break;
        case opcode::text:
        case opcode::binary:
            if (in_message_) return fail(close_code::protocol_error, "new message before the last one ended");
            break;
        case opcode::close:
        case opcode::ping:
        case opcode::pong:
            if (!fin) return fail(close_code::protocol_error, "fragmented control frame");
            break;
        default:
            return fail(close_code::protocol_error, "unknown opcode");
        }
        if (avail < 2) return need_more();

        // The second byte: MASK and the 7-bit length; then the extended length.
        if (!(h[1] & 0x80)) return fail(close_code::protocol_error, "unmasked client frame");
        const unsigned len7 = h[1] & 0x7F;
        // A control frame's payload is at most 125 bytes, so it has no extended length
        // field: one would be too long or a non-minimal encoding, refused here.
        if (control && len7 > 125) return fail(close_code::protocol_error, "control frame longer than 125 bytes");
        const std::size_t ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        if (avail < 2 + ext) return need_more();
        // Non-minimal length encodings of data frames are accepted, as most servers do.
        const std::uint64_t length = ext == 0 ? len7 : big_endian(h + 2, ext);
        if (length >> 63) return fail(close_code::protocol_error, "64-bit length with the top bit set");
        if (!control && length > max_message_ - message_size_)
            return fail(close_code::too_big, "message too big");

        const std::size_t header = 2 + ext + 4;
        if (avail < header || avail - header < length) return need_more();
        char* payload = buffer_.data() + parse_pos_ + header;
        const auto size = static_cast<std::size_t>(length);
        unmask(payload, size, buffer_.data() + parse_pos_ + 2 + ext);
        parse_pos_ += header + size;
        const std::string_view data{payload, size};

        if (control) {
            if (op == opcode::ping) return {event::kind::ping, data, 0, {}};
            if (op == opcode::pong) return {event::kind::pong, data, 0, {}};
            // close
            if (size == 0) {
                finished_ = true;
                return {event::kind::close, {}, static_cast<std::uint16_t>(close_code::no_status), {}};
            }
            if (size == 1) return fail(close_code::protocol_error, "close frame with a 1-byte payload");
            const auto code =
                static_cast<std::uint16_t>(big_endian(reinterpret_cast<const unsigned char*>(payload), 2));
            if (!close_code_allowed_on_wire(code)) return fail(close_code::protocol_error, "invalid close code");
            const std::string_view reason = data.substr(2);
            if (!valid_utf8(reason)) return fail(close_code::invalid_payload, "close reason is not valid UTF-8");
            finished_ = true;
            return {event::kind::close, {}, code, reason};
        }

        if (op != opcode::continuation) {
            in_message_ = true;
            message_is_text_ = op == opcode::text;
            text_utf8_.reset();
        }
        if (message_is_text_) {
            // Per fragment, so a message that cannot be valid fails before it is complete.
            if (!text_utf8_.feed(data) || (fin && !text_utf8_.complete()))
                return fail(close_code::invalid_payload, "text message is not valid UTF-8");
        }
        const auto kind = message_is_text_ ? event::kind::text : event::kind::binary;
        if (fin && message_size_ == 0) {
            // A message in one frame: handed out where it lies.
            in_message_ = false;
            return {kind, data, 0, {}};
        }
        // A fragment: joined to the ones before, at the front of the buffer.
        std::memmove(buffer_.data() + message_size_, payload, size);
        message_size_ += size;
        if (fin) {
            const std::string_view message{buffer_.data(), message_size_};
            // The message's bytes are consumed now; they are dropped at the next call.
            message_size_ = 0;
            in_message_ = false;
            return {kind, message, 0, {}};
        }
    }
}

event frame_parser::need_more()
{
    compact();
    if (buffer_.capacity() > kept_capacity && buffer_.size() <= kept_capacity) {
        if (buffer_.empty())
            std::string().swap(buffer_); // back to the inline buffer: no heap memory
        else
            buffer_.shrink_to_fit();
    }
    return {};
}

event frame_parser::fail(close_code code, std::string_view reason)
{
    finished_ = true;
    release();
    return {event::kind::fail, {}, static_cast<std::uint16_t>(code), reason};
}

void frame_parser::compact()
{
    if (parse_pos_ == message_size_) return;
    buffer_.erase(message_size_, parse_pos_ - message_size_);
    parse_pos_ = message_size_;
}

void frame_parser::release()
{
    std::string().swap(buffer_);
    message_size_ = 0;
    parse_pos_ = 0;
}

} // namespace sp::websocket
