#include "app/busy_import.hpp"

#include "calendar/busy_times.hpp"
#include "calendar/feed_fetch.hpp"
#include "log/logger.hpp"
#include "util/secrets.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace asio = boost::asio;

namespace sp::app {
namespace {

domain::instant now()
{
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace

busy_import::busy_import(store::hub_stores& store, store::busy_store& busy, const redis::readiness_guard& guard,
                         busy_import_settings settings)
    : store_(store), busy_(busy), guard_(guard), settings_(settings), instance_(util::random_id("inst_"))
{
}

busy_import::~busy_import()
{
    pool_.stop();
    pool_.join();
}

asio::awaitable<void> busy_import::run()
{
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto next = std::chrono::steady_clock::now();
    for (;;) {
        timer.expires_after(std::chrono::seconds(1));
        co_await timer.async_wait(asio::use_awaitable);
        if (!guard_.ready() || std::chrono::steady_clock::now() < next) continue;
        next = std::chrono::steady_clock::now() + settings_.refresh;
        co_await round();
    }
}

asio::awaitable<void> busy_import::round()
{
    auto experts = co_await busy_.experts();
    if (!experts.ok()) {
        log::warn("busy_import_failed", {{"reason", experts.reason()}});
        co_return;
    }
    for (const auto& id : experts.value) {
        // The lease lasts one interval (less a little, so the next round finds it gone):
        // whichever instance gets it fetches this expert's calendars this time.
        auto ttl = std::chrono::duration_cast<std::chrono::seconds>(settings_.refresh) - std::chrono::seconds(2);
        auto mine = co_await busy_.lease(id, instance_, std::max(ttl, std::chrono::seconds(1)));
        if (!mine.ok() || !mine.value) continue;
        co_await import_expert(id);
    }
}

asio::awaitable<void> busy_import::import_now(std::string expert_id)
{
    asio::steady_timer timer(co_await asio::this_coro::executor);
    auto deadline = std::chrono::steady_clock::now() + 3 * settings_.timeout;
    while (!co_await import_expert(expert_id) && std::chrono::steady_clock::now() < deadline) {
        timer.expires_after(std::chrono::milliseconds(200));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

asio::awaitable<bool> busy_import::import_expert(const std::string& expert_id)
{
    auto calendars = co_await busy_.calendars(expert_id);
    if (!calendars.ok()) co_return true;
    // Held for as long as every fetch could take; given back as soon as they are done.
    auto ttl = settings_.timeout * static_cast<int>(calendars.value.size() + 1) + std::chrono::seconds(5);
    auto mine = co_await busy_.begin_fetch(expert_id, instance_, ttl);
    if (!mine.ok()) co_return true;
    if (!mine.value) co_return false;
    co_await fetch_all(expert_id, calendars.value);
    co_await busy_.end_fetch(expert_id);
    co_return true;
}

asio::awaitable<void> busy_import::fetch_all(const std::string& expert_id,
                                             const std::vector<store::busy_calendar>& calendars)
{
    // Floating times and all-day events are read in the zone of the expert's first camp.
    const date::time_zone* zone = domain::find_zone("Europe/Berlin");
    auto experts = co_await store_.catalog.experts();
    auto camps = co_await store_.catalog.camps();
    if (experts.ok() && camps.ok())
        for (const auto& e : experts.value)
            if (e.id == expert_id && !e.camp_ids.empty())
                for (const auto& c : camps.value)
                    if (c.id == e.camp_ids.front())
                        if (auto* z = domain::find_zone(c.zone)) zone = z;
    auto io = co_await asio::this_coro::executor;
    for (const auto& c : calendars) {
        domain::instant from = now();
        domain::instant to = from + store_.settings.limits.horizon + std::chrono::days(1);
        calendar::fetch_settings fs{settings_.timeout, settings_.max_bytes, settings_.allow_private_addresses};
        calendar::busy_limits limits;
        limits.max_instances = settings_.max_instances;
        store::busy_fetch f;
        // The blocking fetch and the parse happen on the importer's own thread.
        co_await asio::post(pool_, asio::use_awaitable);
        calendar::fetch_result r = calendar::fetch_feed(c.url, {c.etag, c.last_modified}, fs);
        if (r.what == calendar::fetch_result::outcome::failed) {
            f.what = "failed";
            f.error = r.error;
            f.error_code = calendar::code(r.problem);
        } else if (r.what == calendar::fetch_result::outcome::not_modified) {
            f.what = "not-modified";
        } else {
            calendar::busy_reading reading = calendar::read_busy_times(r.body, from, to, zone, limits);
            if (!reading.ok()) {
                f.what = "failed";
                f.error = reading.error;
                f.error_code = calendar::code(reading.problem);
            } else {
                f.what = "fetched";
                for (const auto& b : reading.busy) f.busy.push_back({b.start, b.end});
                f.etag = r.validators.etag;
                f.last_modified = r.validators.last_modified;
            }
        }
        co_await asio::post(io, asio::use_awaitable);
        if (f.what == "failed")
            log::warn("calendar_import_failed", {{"expert", expert_id}, {"calendar", c.id}, {"reason", f.error}});
        std::size_t count = f.busy.size();
        auto recorded = co_await busy_.record(expert_id, c, std::move(f), now());
        if (!recorded.ok()) log::warn("calendar_import_not_saved", {{"calendar", c.id}, {"reason", recorded.reason()}});
        else if (recorded.value)
            log::info("calendar_imported", {{"expert", expert_id}, {"calendar", c.id}, {"busy", static_cast<int>(count)}});
    }
}

} // namespace sp::app
