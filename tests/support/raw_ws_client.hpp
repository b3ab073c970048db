#pragma once
// A WebSocket client that writes its frames by hand over a plain TCP socket, for tests
// of what a browser never sends: frames split anywhere, reserved bits, unmasked or
// oversized frames, close codes that are not allowed. It reads the server's frames with
// a parser of its own (servers never mask nor fragment here; either fails the test).
// The live tests' Beast client (ws_client.hpp) is the well-behaved counterpart.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sp::test {

namespace ws_bits {
inline constexpr std::uint8_t fin = 0x80, rsv1 = 0x40, rsv2 = 0x20, rsv3 = 0x10;
inline constexpr std::uint8_t continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA;
} // namespace ws_bits

/** RFC 6455's own example upgrade (its key answers s3pPLMBiTxaQ9kYGzzhZRbK+xOo=). */
extern const std::string k_ws_upgrade;

/** A client frame: `first_byte` is FIN, RSV and opcode; the payload masked with a fixed
 *  key unless `masked` is false; `declared` overrides the length the header states. */
std::string client_frame(std::uint8_t first_byte, std::string_view payload, bool masked = true,
                         std::uint64_t declared = UINT64_MAX);

/** One frame from the server. */
struct server_frame {
    std::uint8_t opcode = 0;
    std::string payload;
};

/** The code a close frame carries (1005 when it has none); -1 for any other frame. */
int close_code_of(const server_frame& f);

class raw_ws_client {
public:
    /** Connects; with `upgrade`, completes the opening handshake too (and throws unless
     *  the answer is 101). `receive_buffer` > 0 sets a small SO_RCVBUF, so a client that
     *  stops reading backs the server up soon. */
    explicit raw_ws_client(std::uint16_t port, bool upgrade = true, int receive_buffer = 0);
    ~raw_ws_client();
    raw_ws_client(const raw_ws_client&) = delete;
    raw_ws_client& operator=(const raw_ws_client&) = delete;

    /** Sends `request` and returns the response head up to the blank line; what follows
     *  it stays buffered for next(). */
    std::string handshake(const std::string& request = k_ws_upgrade);

    /** Sends what the socket takes within `for_at_most`, reading meanwhile (the server may
     *  answer and stop reading); how much was sent. */
    std::size_t send_bytes(std::string_view bytes, std::chrono::milliseconds for_at_most = std::chrono::seconds(5));

    /** Sends what the socket takes right now, reading nothing: how many bytes (the rest
     *  is the caller's to send later, or a frame would be cut); nullopt once the
     *  connection is gone. */
    std::optional<std::size_t> send_some(std::string_view bytes);

    /** The next frame, or nullopt if none came within `timeout` or the connection ended. */
    std::optional<server_frame> next(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /** The code of the server's close frame, skipping other frames (their payloads go to
     *  seen()); -1 if none came within `timeout`, 0 if the connection ended without one. */
    int close_code(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    /** The payloads of the frames close_code() skipped. */
    const std::string& seen() const { return seen_; }

    /** True when the server ends the connection (EOF) within `timeout`. */
    bool closed_by_server(std::chrono::milliseconds timeout = std::chrono::seconds(5));

private:
    std::optional<server_frame> parse();
    /** Waits up to `wait` for bytes and appends what arrives. */
    void read_some(std::chrono::milliseconds wait);

    int fd_ = -1;
    std::string in_;
    std::string seen_;
    bool eof_ = false;
};

} // namespace sp::test
