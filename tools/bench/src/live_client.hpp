#pragma once
/**
 * One live client on /ws, as the booking page and the lobby screen use it: connects,
 * subscribes to one view, keeps every session's latest state (seats taken, version),
 * and on a lost connection reconnects with the front end's backoff (static/js/live.js:
 * 250 ms doubling to 3 s, jittered to 50-100 %) and subscribes with `since`.
 *
 * It checks what arrives: in steady state a change older than or equal to what it holds
 * is a reordering or a duplicate, a jump in seats taken is an update merged away; every
 * change is reported to the fleet, which times it against when its booking was sent.
 * A client can be told to stop reading (a stalled screen), to drop its connection at
 * once (RST), or to close. Runs on the fleet's single thread; pending I/O keeps it alive.
 */
#include "common.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <memory>
#include <optional>
#include <vector>

namespace sp::bench {

namespace beast = boost::beast;
class live_fleet;

class live_client : public std::enable_shared_from_this<live_client> {
public:
    /** `receive_buffer` > 0 shrinks the socket's receive buffer (a stalled client then
     *  backs up into the server quickly); `stall_when_live`: stops reading right after
     *  its snapshot. */
    live_client(asio::any_io_executor ex, live_fleet& fleet, int instance, int receive_buffer, bool stall_when_live);

    void start();
    /** Abortive close (RST), as when a network path dies; reconnects if the fleet allows. */
    void drop();
    /** Closes for good. */
    void close();

    bool live() const { return live_; }
    bool stalled() const { return stall_when_live_; }
    /** Lost its connection since the last reset (then resubscribed with `since`): around
     *  that a change may legitimately arrive twice, so strict checks skip it. */
    bool disturbed() const { return disturbed_; }
    void reset_disturbed() { disturbed_ = false; }
    int instance() const { return instance_; }
    const std::vector<int>& taken() const { return taken_; }
    /** When the last snapshot or resume arrived, and which it was. */
    clock::time_point back_at() const { return back_at_; }
    bool back_by_resume() const { return back_by_resume_; }

private:
    asio::awaitable<void> run();
    asio::awaitable<bool> open(std::string& why);
    asio::awaitable<void> read_loop();
    void on_message(const char* data, std::size_t size, clock::time_point at);
    void set_live(clock::time_point at, bool by_resume);
    void apply(int s, int taken, version v, bool strict, clock::time_point at, bool count_delivery);
    std::string subscribe_text() const;

    live_fleet& fleet_;
    asio::any_io_executor ex_;
    int instance_;
    int receive_buffer_;
    bool stall_when_live_;
    std::optional<beast::websocket::stream<beast::tcp_stream>> ws_;
    beast::flat_buffer buffer_;
    asio::steady_timer park_; // a stalled client waits here, reading nothing
    std::vector<int> taken_;
    std::vector<version> version_;
    version since_;
    int attempt_ = 0;
    bool live_ = false;
    bool closed_ = false;
    bool parked_ = false;
    bool disturbed_ = false;
    bool resubscribe_ = false; // the server sent resync: subscribe again after this message
    clock::time_point back_at_{};
    bool back_by_resume_ = false;
};

} // namespace sp::bench
