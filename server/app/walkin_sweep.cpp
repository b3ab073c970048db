#include "app/walkin_sweep.hpp"

#include "app/erase_expired.hpp"
#include "domain/attendance_rules.hpp"
#include "domain/walkin_rules.hpp"
#include "log/logger.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;

namespace sp::app {
namespace {

domain::instant now() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

/** The queue as next_in_line sees it for session `session_id`: a founder who declined
 *  that session cannot take it, like one who holds another offer. */
std::vector<domain::queue_entry> line_for(const std::vector<store::walkin_entry>& queue, const std::string& session_id)
{
    std::vector<domain::queue_entry> out;
    out.reserve(queue.size());
    for (const auto& e : queue) {
        bool declined = std::find(e.declined.begin(), e.declined.end(), session_id) != e.declined.end();
        out.push_back({e.id, e.topic, e.state != "waiting" || declined});
    }
    return out;
}

} // namespace

walkin_sweep::walkin_sweep(store::hub_stores& store, const redis::readiness_guard& guard,
                           std::chrono::milliseconds every)
    : store_(store), guard_(guard), every_(every)
{
}

asio::awaitable<void> walkin_sweep::run()
{
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto next_retention = std::chrono::steady_clock::now();
    for (;;) {
        timer.expires_after(every_);
        co_await timer.async_wait(asio::use_awaitable);
        if (!guard_.ready()) continue;
        co_await sweep_once(now());
        if (std::chrono::steady_clock::now() >= next_retention) {
            // Entries older than walkin_keep go with their data; a minute's delay is nothing
            // against hours of keeping, and spares Redis a query every round.
            next_retention = std::chrono::steady_clock::now() + std::chrono::minutes(1);
            co_await erase_old(now());
        }
    }
}

asio::awaitable<int> walkin_sweep::erase_old(domain::instant at)
{
    co_return co_await erase_expired(store_.walkins, at - store_.settings.walkin_keep, at, "walkin_retention_failed",
                                     "walkin_entries_erased", "count");
}

asio::awaitable<walkin_sweep::counts> walkin_sweep::sweep_once(domain::instant at)
{
    counts done;
    auto expired = co_await store_.walkins.expire_due(at);
    if (!expired.ok()) log::warn("walkin_sweep_failed", {{"reason", expired.reason()}});
    done.expired = expired.value;
    if (done.expired > 0) log::info("walkin_offers_expired", {{"count", done.expired}});

    auto camps = co_await store_.catalog.camps();
    if (!camps.ok()) {
        log::warn("walkin_sweep_failed", {{"reason", camps.reason()}});
        co_return done;
    }
    for (const auto& camp : camps.value) {
        auto queue = co_await store_.walkins.queue(camp.id);
        if (!queue.ok()) {
            log::warn("walkin_sweep_failed", {{"reason", queue.reason()}});
            continue;
        }
        if (queue.value.empty()) continue;
        const domain::day_settings day = domain::camp_day(store_.settings.day, camp);
        // Running sessions (an office hour lasts less than a day) and those starting
        // within the horizon.
        store::session_query q{at - std::chrono::hours(24), at + day.walkin_horizon + std::chrono::seconds(1), camp.id,
                               "", false, 2000};
        auto sessions = co_await store_.reader.sessions(q);
        if (!sessions.ok()) {
            log::warn("walkin_sweep_failed", {{"reason", sessions.reason()}});
            continue;
        }
        std::sort(sessions.value.begin(), sessions.value.end(),
                  [](const domain::session& a, const domain::session& b) { return a.start < b.start; });
        for (const auto& s : sessions.value) {
            if (!domain::walkin_slot(s, at, day)) continue;
            if (co_await offer_seat(s, queue.value, day, at)) {
                ++done.offered;
                // The queue changed: the next slot reads it again.
                auto again = co_await store_.walkins.queue(camp.id);
                if (!again.ok()) break;
                queue.value = std::move(again.value);
            }
        }
    }
    co_return done;
}

asio::awaitable<bool> walkin_sweep::offer_seat(const domain::session& s, std::vector<store::walkin_entry> queue,
                                               const domain::day_settings& day, domain::instant at)
{
    std::vector<std::string> topics;
    if (!s.topic.empty()) topics.push_back(s.topic);
    for (int attempt = 0; attempt < store::script_runner::k_attempts; ++attempt) {
        auto line = line_for(queue, s.id);
        auto next = domain::next_in_line(line, topics);
        if (!next) co_return false;
        std::vector<std::string> passed;
        for (std::size_t i = 0; i < *next; ++i)
            if (queue[i].state == "waiting") passed.push_back(queue[i].id);
        std::string entry = queue[*next].id;
        auto r = co_await store_.walkins.offer(s.id, s.camp_id, entry, std::move(passed), at,
                                               domain::offer_deadline(at, day));
        if (r.ok()) {
            log::info("walkin_offered", {{"session", s.id}, {"walkin", entry}, {"ticket", r.value}});
            co_return true;
        }
        if (!r.is(store::refusal::retry)) {
            // Another instance offered it first, or the seat went meanwhile: nothing to do.
            if (r.unavailable || r.defect) log::warn("walkin_offer_failed", {{"session", s.id}, {"reason", r.reason()}});
            co_return false;
        }
        auto again = co_await store_.walkins.queue(s.camp_id);
        if (!again.ok()) co_return false;
        queue = std::move(again.value);
    }
    co_return false;
}

} // namespace sp::app
