#include "live/resume_cache.hpp"

#include <algorithm>

namespace sp::live {

resume_cache::resume_cache(std::size_t max_entries, std::chrono::milliseconds ttl)
    : max_entries_(std::max<std::size_t>(1, max_entries)), ttl_(ttl)
{
}

resume_cache::changes resume_cache::find(const std::string& since, const std::string& last, clock::time_point now)
{
    std::lock_guard lock(mutex_);
    while (!entries_.empty() && now - entries_.front().stored > ttl_) entries_.pop_front();
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        if (it->since == since && it->upto == last) {
            ++hits_;
            return it->all;
        }
    }
    return nullptr;
}

void resume_cache::put(std::string since, std::string upto, changes all, clock::time_point now)
{
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const entry& e) { return e.since == since; });
    if (entries_.size() >= max_entries_) entries_.pop_front();
    entries_.push_back({std::move(since), std::move(upto), std::move(all), now});
}

std::uint64_t resume_cache::hits() const
{
    std::lock_guard lock(mutex_);
    return hits_;
}

} // namespace sp::live
