#pragma once
/**
 * The incremental parser of the frames a WebSocket client sends (RFC 6455 §5), without
 * sockets: the caller feeds what it read and takes complete events (whole messages,
 * pings, pongs, the close) until need_more. Enforces what a server must: masked frames,
 * no reserved bits or opcodes (no extension is negotiated), control frames unfragmented
 * and at most 125 bytes (with the 7-bit length; a data frame may use a longer length
 * field than needed), continuations only inside a message, a size limit per message
 * (checked from the header, before the payload arrives), valid UTF-8 in text messages
 * (checked per fragment as it completes) and in close reasons, and only close codes that
 * may appear on the wire. A violation is a `fail` event naming the code to close with.
 *
 * Memory: one std::string holds the bytes not yet parsed and the fragments of an
 * unfinished message; payloads are unmasked in place and a single-frame message is
 * handed out where it lies, without a copy. When nothing is held the buffer holds no
 * heap memory; a buffer grown above 512 bytes is given back once the message is done.
 * Not thread-safe: one per socket, used by one strand.
 */
#include "websocket/utf8_validator.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sp::websocket {

/** The status codes of a close frame this server sends (RFC 6455 §7.4.1). */
enum class close_code : std::uint16_t {
    normal = 1000,
    going_away = 1001,
    protocol_error = 1002,
    unsupported_data = 1003,
    no_status = 1005,
    invalid_payload = 1007,
    policy_violation = 1008,
    too_big = 1009,
    internal_error = 1011,
    try_again_later = 1013
};

/** True if `code` may be sent in a close frame: 1000-1003, 1007-1014 (registered) and
 *  3000-4999 (libraries, applications). 1005, 1006 and 1015 are reserved for reporting
 *  only; everything else is unassigned. */
bool close_code_allowed_on_wire(std::uint16_t code);

struct event {
    enum class kind { need_more, text, binary, ping, pong, close, fail } what = kind::need_more;
    /** text: the whole message (valid UTF-8); binary: the whole message; ping/pong: the
     *  application data. Points into the parser: valid until the next feed() or next(). */
    std::string_view payload;
    /** close: the peer's code (1005 when its close frame had no payload); fail: the code
     *  we must close with (1002, 1007 or 1009). */
    std::uint16_t code = 0;
    /** close: the peer's reason (valid UTF-8; valid until the next feed() or next());
     *  fail: a short English reason for our close frame (a string literal). */
    std::string_view reason;
};

class frame_parser {
public:
    /** `max_message_bytes`: the largest message (all its fragments together) accepted;
     *  a larger one fails with 1009. */
    explicit frame_parser(std::size_t max_message_bytes);

    /** Takes the bytes the socket read. Ignored after a close or fail event. */
    void feed(std::string_view bytes);

    /** The next complete event, or need_more when the bytes fed so far end inside a
     *  frame. Control frames between the fragments of a message come out at once.
     *  close and fail are final: after either, next() returns need_more for ever, feed()
     *  ignores its bytes and the buffer is released. */
    event next();

    /** The bytes held: an unparsed (partial) frame and the fragments of an unfinished
     *  message. After next() returned need_more this is at most max_message_bytes + 131:
     *  the fragments so far plus one partial frame, either a data frame (header at most
     *  14 bytes, payload within the limit with the fragments: max_message_bytes + 14 in
     *  all) or a control frame between fragments (6 + 125 bytes). Bytes fed and not yet
     *  drained by next() come on top. */
    std::size_t buffered() const { return message_size_ + (buffer_.size() - parse_pos_); }

    /** The memory held for them (15, std::string's inline capacity, when idle). */
    std::size_t capacity() const { return buffer_.capacity(); }

    /** A buffer grown beyond this is shrunk to what it holds (none when empty) once
     *  next() runs out of complete frames and at most this much is left. */
    static constexpr std::size_t kept_capacity = 512;

private:
    event need_more();
    event fail(close_code code, std::string_view reason);
    void compact();
    void release();

    // Layout of buffer_: [0, message_size_) the unmasked fragments of the unfinished
    // message; [message_size_, parse_pos_) consumed bytes, dropped at the next feed()
    // or need_more (a delivered event may still point there); [parse_pos_, end) bytes
    // not parsed yet.
    std::string buffer_;
    std::size_t max_message_;
    std::size_t message_size_ = 0;
    std::size_t parse_pos_ = 0;
    utf8_validator text_utf8_; // the text message in progress, across its fragments
    bool in_message_ = false;  // a text or binary frame without FIN came, continuations follow
    bool message_is_text_ = false;
    bool finished_ = false; // close or fail was returned
};

// 32 (std::string) + 3 * 8 + 4 one-byte fields, padded: 64 bytes on x86-64 with
// libstdc++, against ~2.5 KiB for Beast's websocket::stream.
static_assert(sizeof(frame_parser) <= 64, "frame_parser lives in every idle socket: keep it small");

} // namespace sp::websocket
