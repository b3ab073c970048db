#include "live/change_builder.hpp"

#include <charconv>
#include <set>
#include <unordered_map>

namespace sp::live {
namespace {

int to_int(const std::string& s, int fallback)
{
    int v = fallback;
    if (!s.empty()) std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

domain::instant to_instant(const std::string& s)
{
    std::int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return domain::instant(std::chrono::seconds(v));
}

} // namespace

boost::asio::awaitable<store::result<std::vector<change>>> build_changes(store::record_reader& store,
                                                                         const std::vector<store::log_entry>& entries)
{
    store::result<std::vector<change>> out;
    std::set<std::string> wanted;
    for (const auto& e : entries) {
        if (auto s = e.field("session"); !s.empty()) wanted.insert(s);
        if (auto s = e.field("from_session"); !s.empty()) wanted.insert(s);
    }
    if (wanted.empty()) co_return out;
    std::vector<std::string> ids(wanted.begin(), wanted.end());
    auto current = co_await store.sessions_by_id(ids);
    if (!current.ok()) {
        out = store::result<std::vector<change>>::failed(current);
        co_return out;
    }
    std::unordered_map<std::string, const domain::session*> by_id;
    for (const auto& s : current.value) by_id[s.id] = &s;

    auto emit = [&](const store::log_entry& e, const std::string& id, const std::string& taken, const std::string& seats) {
        domain::session s;
        if (auto it = by_id.find(id); it != by_id.end()) {
            s = *it->second;
        } else {
            // Removed since: what its last entry kept is enough for views to drop it.
            s.id = id;
            s.camp_id = e.field("camp_id");
            s.expert_id = e.field("expert_id");
            s.start = to_instant(e.field("start"));
            s.end = to_instant(e.field("end"));
            if (auto z = e.field("zone"); !z.empty()) s.zone = z;
            s.kind = e.field("kind") == "event" ? domain::session_kind::event : domain::session_kind::office_hour;
            s.status = "removed";
        }
        s.taken = to_int(taken, s.taken);
        s.seats = to_int(seats, s.seats);
        if (id == e.field("session")) s.waiting = to_int(e.field("waiting"), s.waiting);
        if (auto st = e.field("status"); !st.empty() && id == e.field("session")) s.status = st;
        if (auto late = e.field("late_minutes"); !late.empty() && id == e.field("session"))
            s.late_minutes = to_int(late, s.late_minutes);
        s.version = e.id;
        out.value.push_back({e.id, e.field("type"), std::move(s)});
    };
    for (const auto& e : entries) {
        if (auto id = e.field("session"); !id.empty()) emit(e, id, e.field("taken"), e.field("seats"));
        if (auto from = e.field("from_session"); !from.empty())
            emit(e, from, e.field("from_taken"), e.field("from_seats"));
    }
    co_return out;
}

} // namespace sp::live
