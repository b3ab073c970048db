#include "live/update_queue.hpp"

namespace sp::live {

// position_ stores absolute sequence numbers (popped_ + index at push time), so pops
// at the front never force a rewrite of the map: index = sequence - popped_.

void update_queue::push_update(const std::string& session_id, shared_bytes bytes, clock::time_point now)
{
    if (auto it = position_.find(session_id); it != position_.end()) {
        entry& e = order_[it->second - popped_];
        bytes_ -= e.bytes->size();
        bytes_ += bytes->size();
        e.bytes = std::move(bytes);
        ++coalesced_;
    } else {
        position_.emplace(session_id, popped_ + order_.size());
        bytes_ += bytes->size();
        order_.push_back({session_id, std::move(bytes)});
    }
    account(now);
}

void update_queue::push_message(shared_bytes bytes, clock::time_point now)
{
    bytes_ += bytes->size();
    order_.push_back({{}, std::move(bytes)});
    account(now);
}

shared_bytes update_queue::pop(clock::time_point now)
{
    if (order_.empty()) return nullptr;
    entry e = std::move(order_.front());
    order_.pop_front();
    ++popped_;
    if (!e.session_id.empty()) position_.erase(e.session_id);
    bytes_ -= e.bytes->size();
    account(now);
    return std::move(e.bytes);
}

void update_queue::clear()
{
    popped_ += order_.size();
    order_.clear();
    position_.clear();
    bytes_ = 0;
    over_ = false;
}

void update_queue::account(clock::time_point now)
{
    bool over = bytes_ > max_bytes_;
    if (over && !over_) over_since_ = now;
    over_ = over;
}

bool update_queue::overwhelmed(clock::time_point now) const { return over_ && now - over_since_ > grace_; }

} // namespace sp::live
