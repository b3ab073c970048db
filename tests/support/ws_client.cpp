#include "support/ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <stdexcept>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace sp::test {

// All socket operations run on the client's own io thread (a websocket stream is not
// thread-safe); the test thread only posts to it and waits on the message queue.
struct ws_client::impl {
    asio::io_context ioc;
    websocket::stream<asio::ip::tcp::socket> ws{ioc};
    std::thread reader;
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<std::pair<std::string, std::chrono::system_clock::time_point>> messages;
    bool closed = false;
    int close_code = -1;
    std::string error;
    beast::flat_buffer buffer;
    std::deque<std::pair<std::string, bool>> outbox; // io thread only
    bool writing = false;
    bool reading = false; // io thread only, after the constructor

    void read_next()
    {
        ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
            std::lock_guard lock(mutex);
            if (ec) {
                closed = true;
                // After a close frame Beast reports `closed`; the code is in reason().
                close_code = ws.reason().code != websocket::close_code::none ? static_cast<int>(ws.reason().code) : 0;
                error = ec.message();
                cv.notify_all();
                return;
            }
            messages.emplace_back(beast::buffers_to_string(buffer.data()), std::chrono::system_clock::now());
            buffer.consume(buffer.size());
            cv.notify_all();
            read_next();
        });
    }
    void write_next()
    {
        if (writing || outbox.empty()) return;
        writing = true;
        ws.text(outbox.front().second);
        ws.async_write(asio::buffer(outbox.front().first), [this](beast::error_code, std::size_t) {
            outbox.pop_front();
            writing = false;
            write_next();
        });
    }
};

ws_client::ws_client(std::uint16_t port, const std::string& origin, bool read, int receive_buffer,
                     const std::string& cookie)
    : impl_(std::make_unique<impl>())
{
    if (receive_buffer > 0) {
        impl_->ws.next_layer().open(asio::ip::tcp::v4());
        impl_->ws.next_layer().set_option(asio::socket_base::receive_buffer_size(receive_buffer));
    }
    impl_->ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
    impl_->ws.set_option(websocket::stream_base::decorator([origin, cookie](websocket::request_type& req) {
        if (!origin.empty()) req.set(beast::http::field::origin, origin);
        if (!cookie.empty()) req.set(beast::http::field::cookie, cookie);
    }));
    websocket::response_type res;
    beast::error_code ec;
    impl_->ws.handshake(res, "127.0.0.1:" + std::to_string(port), "/ws", ec);
    if (ec) throw std::runtime_error("upgrade failed: HTTP " + std::to_string(res.result_int()) + " " + ec.message());
    impl_->reading = read;
    if (read) impl_->read_next();
    impl_->reader = std::thread([i = impl_.get()] {
        auto work = asio::make_work_guard(i->ioc);
        i->ioc.run();
    });
}

ws_client::~ws_client()
{
    close();
    impl_->ioc.stop();
    if (impl_->reader.joinable()) impl_->reader.join();
}

void ws_client::start_reading()
{
    asio::post(impl_->ioc, [i = impl_.get()] {
        if (i->reading) return;
        i->reading = true;
        i->read_next();
    });
}

void ws_client::send(const std::string& text)
{
    asio::post(impl_->ioc, [i = impl_.get(), text] {
        i->outbox.emplace_back(text, true);
        i->write_next();
    });
}

void ws_client::send_binary(const std::string& bytes)
{
    asio::post(impl_->ioc, [i = impl_.get(), bytes] {
        i->outbox.emplace_back(bytes, false);
        i->write_next();
    });
}

std::optional<std::pair<std::string, std::chrono::system_clock::time_point>> ws_client::next_timed(
    std::chrono::milliseconds timeout)
{
    std::unique_lock lock(impl_->mutex);
    if (!impl_->cv.wait_for(lock, timeout, [&] { return !impl_->messages.empty() || impl_->closed; })) return std::nullopt;
    if (impl_->messages.empty()) return std::nullopt;
    auto m = std::move(impl_->messages.front());
    impl_->messages.pop_front();
    return m;
}

std::optional<std::string> ws_client::next(std::chrono::milliseconds timeout)
{
    auto m = next_timed(timeout);
    if (!m) return std::nullopt;
    return std::move(m->first);
}

std::optional<std::string> ws_client::next_op(const std::string& op, std::chrono::milliseconds timeout)
{
    auto end = std::chrono::steady_clock::now() + timeout;
    std::string needle = "\"op\":\"" + op + "\"";
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        auto m = next(left);
        if (!m) return std::nullopt;
        if (m->find(needle) != std::string::npos) return m;
    }
}

int ws_client::wait_closed(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(impl_->mutex);
    if (!impl_->cv.wait_for(lock, timeout, [&] { return impl_->closed; })) return -1;
    return impl_->close_code;
}

void ws_client::close()
{
    auto done = std::make_shared<std::promise<void>>();
    auto finished = done->get_future();
    asio::post(impl_->ioc, [i = impl_.get(), done] {
        beast::error_code ec;
        i->ws.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
        i->ws.next_layer().close(ec);
        done->set_value();
    });
    finished.wait_for(std::chrono::seconds(2));
}

} // namespace sp::test
