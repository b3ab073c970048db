#pragma once
/**
 * The read buffer of one WebSocket. A socket's read is always pending, and Beast
 * prepares max_size() - size() bytes, up to 1,536, before any data arrives: on an idle
 * lobby screen that is most of what the socket costs. This buffer offers Beast at most
 * `step` bytes at a time, so an idle socket holds `step` bytes; a larger message grows
 * it step by step (Beast keeps reading until the message is complete). The message
 * limit stays Beast's read_message_max (close 1009); `limit` is only a hard backstop.
 */
#include <boost/beast/core/flat_buffer.hpp>

#include <algorithm>
#include <cstddef>

namespace sp::live {

class message_buffer : public boost::beast::flat_buffer {
    using base = boost::beast::flat_buffer;

public:
    explicit message_buffer(std::size_t limit, std::size_t step = 256) : base(limit), step_(step) {}

    std::size_t max_size() const noexcept { return std::min(base::max_size(), size() + step_); }

    /** Drops the message just handled; gives back what a large one made it grow to. */
    void clear()
    {
        consume(size());
        if (capacity() > 4 * step_) shrink_to_fit();
    }

private:
    std::size_t step_;
};

} // namespace sp::live
