#include "live/admission_gate.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;

namespace sp::live {

admission_gate::turn& admission_gate::turn::operator=(turn&& o) noexcept
{
    if (this != &o) {
        release();
        gate_ = o.gate_;
        o.gate_ = nullptr;
    }
    return *this;
}

void admission_gate::turn::release()
{
    if (gate_) std::exchange(gate_, nullptr)->leave();
}

asio::awaitable<admission_gate::turn> admission_gate::enter()
{
    std::shared_ptr<asio::steady_timer> wake;
    {
        std::lock_guard lock(mutex_);
        if (active_ < max_active_) {
            ++active_;
            co_return turn(this);
        }
        if (waiting_.size() >= max_waiting_) {
            ++turned_away_;
            co_return turn();
        }
        wake = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                    asio::steady_timer::time_point::max());
        waiting_.push_back(wake);
    }
    // leave() hands its turn over by cancelling this timer (the count stays).
    co_await wake->async_wait(asio::as_tuple(asio::use_awaitable));
    co_return turn(this);
}

void admission_gate::leave()
{
    std::shared_ptr<asio::steady_timer> next;
    {
        std::lock_guard lock(mutex_);
        if (waiting_.empty()) {
            --active_;
            return;
        }
        next = std::move(waiting_.front());
        waiting_.pop_front();
    }
    // On the waiter's own executor: a timer is not to be touched from two threads.
    asio::post(next->get_executor(), [next] { next->cancel(); });
}

std::size_t admission_gate::active() const
{
    std::lock_guard lock(mutex_);
    return active_;
}

std::size_t admission_gate::waiting() const
{
    std::lock_guard lock(mutex_);
    return waiting_.size();
}

std::uint64_t admission_gate::turned_away() const
{
    std::lock_guard lock(mutex_);
    return turned_away_;
}

} // namespace sp::live
