#include "live/session_mailbox.hpp"

#include <algorithm>

namespace sp::live {

bool session_mailbox::wake_locked()
{
    if (writer_active_ || queue_.empty()) return false;
    writer_active_ = true;
    return true;
}

session_mailbox::delivery session_mailbox::deliver(const shared_update& update, clock::time_point now)
{
    delivery out;
    if (closed()) return out;
    std::lock_guard lock(mutex_);
    if (closed()) return out;
    if (answered_) {
        if (update->seq > answered_seq_) {
            answered_.reset(); // every change chosen before the answer has arrived
        } else if (auto it = answered_->find(update->session_id);
                   it != answered_->end() && util::parse_stream_id(update->version) <= it->second) {
            return out; // chosen before the answer, which already carries it
        }
    }
    auto before = queue_.coalesced();
    queue_.push_update(update, now);
    out.queued = true;
    out.coalesced = queue_.coalesced() != before;
    out.overwhelmed = queue_.overwhelmed(now);
    out.wake = wake_locked();
    return out;
}

bool session_mailbox::push(shared_bytes message, clock::time_point now)
{
    std::lock_guard lock(mutex_);
    if (closed()) return false; // would never be written
    queue_.push_message(std::move(message), now);
    return wake_locked();
}

void session_mailbox::hold()
{
    std::lock_guard lock(mutex_);
    held_ = true;
}

bool session_mailbox::answer(shared_bytes reply, carried_versions carried, std::uint64_t chosen,
                             std::uint64_t delivered, clock::time_point now)
{
    std::lock_guard lock(mutex_);
    held_ = false;
    if (closed()) return false;
    if (reply && delivered < chosen) {
        if (answered_) // a previous answer's changes may be in flight too: keep both
            for (const auto& [session, version] : *answered_) {
                auto& v = carried[session];
                v = std::max(v, version);
            }
        answered_seq_ = chosen;
        answered_ = std::make_shared<const carried_versions>(carried);
    }
    if (reply) {
        // Nothing has been written since the hold began: every pending state goes behind
        // the answer (also one of a session the answer does not carry, e.g. one that
        // appeared after the answer was read), or nowhere when the answer carries it.
        auto arrived = queue_.take_updates([](const session_update&) { return true; }, now);
        queue_.push_message(std::move(reply), now);
        for (auto& u : arrived) {
            auto it = carried.find(u->session_id);
            if (it == carried.end() || util::parse_stream_id(u->version) > it->second)
                queue_.push_update(std::move(u), now);
        }
    }
    return wake_locked();
}

std::vector<shared_bytes> session_mailbox::next(std::size_t max_run, clock::time_point now)
{
    std::vector<shared_bytes> run;
    next(run, max_run, now);
    return run;
}

void session_mailbox::next(std::vector<shared_bytes>& run, std::size_t max_run, clock::time_point now)
{
    run.clear();
    std::lock_guard lock(mutex_);
    if (!closed() && !held_) {
        bool update = queue_.front_is_update();
        if (auto first = queue_.pop(now)) {
            run.push_back(std::move(first));
            if (update)
                while (run.size() < max_run && queue_.front_is_update()) run.push_back(queue_.pop(now));
        }
    }
    if (run.empty()) writer_active_ = false;
}

void session_mailbox::writer_stopped()
{
    std::lock_guard lock(mutex_);
    writer_active_ = false;
}

bool session_mailbox::close()
{
    std::lock_guard lock(mutex_);
    return !closed_.exchange(true, std::memory_order_acq_rel);
}

std::optional<std::size_t> session_mailbox::close_if_overwhelmed(clock::time_point now)
{
    std::lock_guard lock(mutex_);
    if (closed() || !queue_.overwhelmed(now)) return std::nullopt;
    closed_.store(true, std::memory_order_release);
    std::size_t dropped = queue_.pending_bytes();
    queue_.clear();
    return dropped;
}

bool session_mailbox::overwhelmed(clock::time_point now) const
{
    std::lock_guard lock(mutex_);
    return queue_.overwhelmed(now);
}

} // namespace sp::live
