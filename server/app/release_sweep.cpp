#include "app/release_sweep.hpp"

#include "domain/attendance_rules.hpp"
#include "log/logger.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;

namespace sp::app {
namespace {
domain::instant now() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }
} // namespace

release_sweep::release_sweep(store::hub_stores& store, const redis::readiness_guard& guard, std::chrono::seconds every)
    : store_(store), guard_(guard), every_(every)
{
}

asio::awaitable<void> release_sweep::run()
{
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        timer.expires_after(every_);
        co_await timer.async_wait(asio::use_awaitable);
        if (!guard_.ready()) continue;
        int released = co_await sweep_once(now());
        if (released > 0) log::info("no_shows_released", {{"count", released}});
    }
}

asio::awaitable<int> release_sweep::sweep_once(domain::instant at)
{
    int released = 0;
    auto camps = co_await store_.catalog.camps();
    if (!camps.ok()) {
        log::warn("release_sweep_failed", {{"reason", camps.reason()}});
        co_return 0;
    }
    for (const auto& camp : camps.value) {
        const domain::day_settings day = domain::camp_day(store_.settings.day, camp);
        if (!day.auto_release) continue;
        // Sessions that started within the last day (a session longer than that is not
        // an office hour) and may still hold a no-show.
        store::session_query q{at - std::chrono::hours(24), at + std::chrono::seconds(1), camp.id, "", false, 2000};
        auto sessions = co_await store_.reader.sessions(q);
        if (!sessions.ok()) {
            log::warn("release_sweep_failed", {{"reason", sessions.reason()}});
            continue;
        }
        for (const auto& s : sessions.value) {
            if (!domain::takes_place(s) || s.taken == 0 || at >= s.end || at < domain::release_due(s, day)) continue;
            auto held = co_await store_.reader.session_bookings(s.id);
            if (!held.ok()) continue;
            for (const auto& b : held.value) {
                if (domain::may_release(s, b, at, day) != domain::release_refusal::none) continue;
                store::release_request req{b.id, s.id, s.zone, day, "auto"}; // named: no temporaries inside co_await (GCC 12)
                auto r = co_await store_.bookings.release(std::move(req), at);
                if (r.ok()) {
                    ++released;
                    log::info("no_show_released", {{"booking", b.id}, {"session", s.id}, {"by", "auto"}});
                } else if (r.unavailable || r.defect) {
                    log::warn("release_failed", {{"booking", b.id}, {"reason", r.reason()}});
                }
                // A refusal (checked in meanwhile, released by another instance or the
                // expert) is the race going the other way: nothing to do.
            }
        }
    }
    co_return released;
}

} // namespace sp::app
