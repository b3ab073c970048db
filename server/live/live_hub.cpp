#include "live/live_hub.hpp"

#include "log/logger.hpp"

#include <algorithm>

namespace sp::live {

live_hub::live_hub(clock_fn now, wake_fn wake) : now_(std::move(now)), wake_(std::move(wake)) {}

live_hub::~live_hub()
{
    std::lock_guard lock(mutex_);
    if (!sockets_.empty()) log::error("live_hub_outlived", {{"sockets", sockets_.size()}});
}

bool live_hub::add(const std::shared_ptr<live_socket>& s, const std::string& peer, std::size_t max_per_peer)
{
    std::lock_guard lock(mutex_);
    std::size_t& n = per_peer_[peer];
    if (n >= max_per_peer) return false;
    ++n;
    sockets_[s.get()] = entry{s, peer, {}, {}};
    return true;
}

void live_hub::remove(live_socket* s)
{
    std::lock_guard lock(mutex_);
    auto it = sockets_.find(s);
    if (it == sockets_.end()) return;
    if (auto p = per_peer_.find(it->second.peer); p != per_peer_.end() && --p->second == 0) per_peer_.erase(p);
    sockets_.erase(it);
    if (sockets_.empty()) emptied_.notify_all();
}

std::uint64_t live_hub::set_views(live_socket* s, std::vector<subscription> views)
{
    std::lock_guard lock(mutex_);
    if (auto it = sockets_.find(s); it != sockets_.end()) it->second.views = std::move(views);
    return chosen_;
}

void live_hub::publish(const std::vector<change>& changes)
{
    domain::instant now = now_();
    // One publish at a time (the change-log tailer); the recipients' buffer is kept from
    // one change to the next: at 10,000 sockets a fresh one cost a 390 KB allocation,
    // fresh pages and their faults per change (17 % of the fan-out's profile).
    std::lock_guard publishing(publish_mutex_);
    auto& targets = targets_;
    for (const auto& c : changes) {
        metrics_.changes_published.fetch_add(1, std::memory_order_relaxed);
        targets.clear();
        version_order version = order_of(c.version);
        view::facts facts(c.session, now); // once per change, not per socket
        std::uint64_t seq;
        {
            std::lock_guard lock(mutex_);
            seq = ++chosen_;
            for (auto& [ptr, e] : sockets_) {
                bool watched = false, private_watch = false;
                for (const auto& sub : e.views) {
                    if ((sub.covered.first != 0 && version <= sub.covered) || !sub.what.matches(c.session, facts, now))
                        continue;
                    watched = true;
                    if (sub.what.with_bookings && sub.what.expert == c.session.expert_id) private_watch = true;
                }
                if (watched)
                    if (auto s = e.socket.lock()) targets.emplace_back(std::move(s), private_watch);
            }
        }
        if (!targets.empty()) {
            // Serialised once; every socket queues the same bytes.
            auto update = std::make_shared<const session_update>(c.session.id, c.session.expert_id, c.version,
                                                                 std::make_shared<const std::string>(changes_message({c})),
                                                                 seq);
            for (auto& [s, private_watch] : targets)
                if (s->deliver_update(update, private_watch)) wake_later(std::move(s));
        }
        targets.clear(); // the sockets' references go now, the buffer stays
        delivered_.store(seq, std::memory_order_release);
    }
    // After the whole batch: a writer woken by its first change finds the others queued
    // too and sends them as one message.
    wake_targets();
}

void live_hub::wake_later(std::shared_ptr<live_socket> s)
{
    std::size_t shard = s->shard();
    if (to_wake_.size() <= shard) to_wake_.resize(shard + 1);
    to_wake_[shard].push_back(std::move(s));
}

void live_hub::wake_targets()
{
    // One handler per shard for every writer this change started, not one per socket.
    for (std::size_t shard = 0; shard < to_wake_.size(); ++shard) {
        auto& sockets = to_wake_[shard];
        if (sockets.empty()) continue;
        if (wake_) {
            wake_(shard, std::move(sockets));
        } else {
            for (const auto& s : sockets) s->start_writer();
        }
        sockets = {};
    }
}

void live_hub::publish_walkins(std::string_view camp, std::string_view version, shared_bytes message)
{
    std::lock_guard publishing(publish_mutex_);
    auto& targets = targets_;
    targets.clear();
    version_order order = order_of(version);
    std::uint64_t seq;
    {
        std::lock_guard lock(mutex_);
        seq = ++chosen_;
        for (auto& [ptr, e] : sockets_) {
            bool watched = std::any_of(e.views.begin(), e.views.end(), [&](const subscription& sub) {
                return sub.what.type == view::kind::walkins && sub.what.camp == camp &&
                       (sub.covered.first == 0 || order > sub.covered);
            });
            if (watched)
                if (auto sock = e.socket.lock()) targets.emplace_back(std::move(sock), false);
        }
    }
    if (!targets.empty()) {
        // Keyed like a session, "walkins:<camp>": a socket's queue keeps only the newest.
        std::string key = "walkins:";
        key += camp;
        auto update = std::make_shared<const session_update>(std::move(key), "", std::string(version),
                                                             std::move(message), seq);
        for (auto& [sock, private_watch] : targets)
            if (sock->deliver_update(update, false)) wake_later(std::move(sock));
        wake_targets();
    }
    targets.clear();
    delivered_.store(seq, std::memory_order_release);
}

void live_hub::resync_all(std::string_view reason)
{
    auto bytes = std::make_shared<const std::string>(resync_message(reason));
    std::vector<std::shared_ptr<live_socket>> all;
    {
        std::lock_guard lock(mutex_);
        for (auto& [ptr, e] : sockets_)
            if (auto s = e.socket.lock()) all.push_back(std::move(s));
    }
    for (auto& s : all) s->deliver_message(bytes);
}

void live_hub::set_account(live_socket* s, std::string account_id)
{
    std::lock_guard lock(mutex_);
    auto it = sockets_.find(s);
    if (it != sockets_.end()) it->second.account = std::move(account_id);
}

void live_hub::close_account(std::string_view account_id)
{
    if (account_id.empty()) return;
    std::vector<std::shared_ptr<live_socket>> theirs;
    {
        std::lock_guard lock(mutex_);
        for (auto& [ptr, e] : sockets_)
            if (e.account == account_id)
                if (auto s = e.socket.lock()) theirs.push_back(std::move(s));
    }
    for (auto& s : theirs) s->sign_out();
}

void live_hub::close_all()
{
    std::vector<std::shared_ptr<live_socket>> all;
    {
        std::lock_guard lock(mutex_);
        for (auto& [ptr, e] : sockets_)
            if (auto s = e.socket.lock()) all.push_back(std::move(s));
    }
    for (auto& s : all) s->shutdown();
}

std::vector<std::vector<std::shared_ptr<live_socket>>> live_hub::sockets_by_shard(std::size_t shards) const
{
    std::vector<std::vector<std::shared_ptr<live_socket>>> out(std::max<std::size_t>(shards, 1));
    std::lock_guard lock(mutex_);
    for (const auto& [ptr, e] : sockets_)
        if (auto s = e.socket.lock()) out[std::min(s->shard(), out.size() - 1)].push_back(std::move(s));
    return out;
}

bool live_hub::wait_until_empty(std::chrono::steady_clock::time_point deadline) const
{
    std::unique_lock lock(mutex_);
    return emptied_.wait_until(lock, deadline, [this] { return sockets_.empty(); });
}

std::size_t live_hub::sockets() const
{
    std::lock_guard lock(mutex_);
    return sockets_.size();
}

std::size_t live_hub::subscriptions() const
{
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [ptr, e] : sockets_) n += e.views.size();
    return n;
}

} // namespace sp::live
