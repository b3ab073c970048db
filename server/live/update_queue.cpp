#include "live/update_queue.hpp"

#include <algorithm>

namespace sp::live {

session_update::session_update(std::string session, std::string expert, std::string version_, shared_bytes message,
                               std::uint64_t seq_)
    : session_id(std::move(session)),
      expert_id(std::move(expert)),
      version(std::move(version_)),
      seq(seq_),
      key(std::hash<std::string>{}(session_id)),
      bytes(std::move(message))
{
}

// position_ stores absolute sequence numbers (popped_ + index at push time), so pops
// at the front never force a rewrite of the map: index = head_ + sequence - popped_.
// A short line (the usual: one or two entries) has no map at all: finding a session's
// pending state there is a scan of a few entries, and a map node per change and
// socket was an allocation and a free per delivery. The map is built when the line
// grows past k_scan entries and dropped when it drains.

namespace {
constexpr std::size_t k_scan = 16;
}

void update_queue::index_all()
{
    position_.clear();
    for (std::size_t i = head_; i < order_.size(); ++i)
        if (order_[i].update) position_[order_[i].update->key] = popped_ + (i - head_);
    indexed_ = true;
}

update_queue::entry* update_queue::pending_of(const session_update& u)
{
    if (!indexed_) {
        for (std::size_t i = head_; i < order_.size(); ++i)
            if (order_[i].update && order_[i].update->key == u.key && order_[i].update->session_id == u.session_id)
                return &order_[i];
        return nullptr;
    }
    auto it = position_.find(u.key);
    if (it == position_.end()) return nullptr;
    entry& e = order_[head_ + (it->second - popped_)];
    // Two sessions with one hash: the newer entry takes the index slot; the older one
    // is still sent, it only stops merging.
    return e.update->session_id == u.session_id ? &e : nullptr;
}

void update_queue::push_update(shared_update update, clock::time_point now)
{
    if (entry* e = pending_of(*update)) {
        bytes_ -= e->bytes()->size();
        bytes_ += update->bytes->size();
        e->update = std::move(update);
        ++coalesced_;
        account(now);
        return;
    }
    if (!indexed_ && pending_messages() >= k_scan) index_all();
    if (indexed_) position_[update->key] = popped_ + pending_messages();
    bytes_ += update->bytes->size();
    order_.push_back({std::move(update), nullptr});
    account(now);
}

void update_queue::push_update(const std::string& session_id, shared_bytes bytes, clock::time_point now)
{
    push_update(std::make_shared<const session_update>(session_id, std::string(), std::string(), std::move(bytes)), now);
}

void update_queue::push_message(shared_bytes bytes, clock::time_point now)
{
    bytes_ += bytes->size();
    order_.push_back({nullptr, std::move(bytes)});
    account(now);
}

shared_bytes update_queue::pop(clock::time_point now)
{
    if (empty()) return nullptr;
    entry e = std::move(order_[head_++]);
    if (head_ == order_.size()) {
        // Drained: start over at the front, and give a burst's memory back.
        order_.clear();
        head_ = 0;
        if (order_.capacity() > 4) order_.shrink_to_fit();
    } else if (head_ >= 64 && head_ * 2 >= order_.size()) {
        // Never drained (a busy socket): drop the sent half, so the line stays bounded.
        order_.erase(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
    }
    std::uint64_t sequence = popped_++;
    if (indexed_ && e.update) {
        if (auto it = position_.find(e.update->key); it != position_.end() && it->second == sequence)
            position_.erase(it);
    }
    if (indexed_ && empty()) { // drained: back to scanning, and the map's memory back
        position_ = {};
        indexed_ = false;
    }
    shared_bytes out = e.bytes();
    bytes_ -= out->size();
    account(now);
    return out;
}

std::vector<shared_update> update_queue::take_updates(const std::function<bool(const session_update&)>& pick,
                                                     clock::time_point now)
{
    std::vector<shared_update> taken;
    std::vector<char> picked(order_.size() - head_);
    for (std::size_t i = head_; i < order_.size(); ++i)
        if (order_[i].update && pick(*order_[i].update)) picked[i - head_] = 1;
    if (std::find(picked.begin(), picked.end(), 1) == picked.end()) return taken; // the line stays as it is
    std::vector<entry> kept;
    for (std::size_t i = head_; i < order_.size(); ++i) {
        if (picked[i - head_]) taken.push_back(std::move(order_[i].update));
        else kept.push_back(std::move(order_[i]));
    }
    // Entries left the middle of the line: index the rest again (rare, and bounded).
    order_ = std::move(kept);
    head_ = 0;
    bytes_ = 0;
    for (std::size_t i = 0; i < order_.size(); ++i) bytes_ += order_[i].bytes()->size();
    if (indexed_ || order_.size() > k_scan) index_all();
    account(now);
    return taken;
}

void update_queue::clear()
{
    popped_ += pending_messages();
    order_.clear();
    order_.shrink_to_fit();
    head_ = 0;
    position_ = {};
    indexed_ = false;
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
