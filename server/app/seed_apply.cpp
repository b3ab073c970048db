#include "app/seed_apply.hpp"

namespace sp::app {

boost::asio::awaitable<seed_counts> apply_seed(store::catalog_store& catalog, store::schedule_store& schedule, const hub_seed& seed,
                                               domain::instant now)
{
    seed_counts n;
    const std::string by = "seed";
    auto check = [](const store::outcome& o, const std::string& what) {
        if (o.unavailable || o.defect) throw seed_error(what + ": redis unavailable: " + o.detail);
        if (o.refused) throw seed_error(what + ": refused: " + o.reason());
    };
    for (const auto& c : seed.camps) {
        check(co_await catalog.put_camp(c, by), "camp " + c.id);
        ++n.camps;
    }
    for (const auto& r : seed.rooms) {
        check(co_await catalog.put_room(r, by), "room " + r.id);
        ++n.rooms;
    }
    for (const auto& e : seed.experts) {
        check(co_await catalog.put_expert(e, by), "expert " + e.id);
        ++n.experts;
    }
    for (const auto& r : seed.rules) {
        auto res = co_await schedule.put_rule(r.rule, r.exceptions, now, by);
        check(res, "rule " + r.rule.id);
        n.sessions_created += static_cast<std::size_t>(res.value.created);
        ++n.rules;
    }
    for (const auto& e : seed.events) {
        auto res = co_await schedule.put_event(e, now, by);
        check(res, "event " + e.id);
        n.sessions_created += static_cast<std::size_t>(res.value.created);
        ++n.events;
    }
    co_return n;
}

} // namespace sp::app
