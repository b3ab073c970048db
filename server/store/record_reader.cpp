#include "store/record_reader.hpp"

#include "store/scripts/read_scripts.hpp"

#include <algorithm>

namespace asio = boost::asio;

namespace sp::store {

domain::session session_from(const field_map& m, int waiting)
{
    domain::session s;
    s.id = get(m, "id");
    s.kind = get(m, "kind") == "event" ? domain::session_kind::event : domain::session_kind::office_hour;
    s.owner_id = get(m, "owner_id");
    s.expert_id = get(m, "expert_id");
    s.camp_id = get(m, "camp_id");
    s.room_id = get(m, "room_id");
    s.online_url = get(m, "online_url");
    s.title = get(m, "title");
    s.topic = get(m, "topic");
    if (auto z = get(m, "zone"); !z.empty()) s.zone = z;
    s.start = domain::instant(std::chrono::seconds(get_int(m, "start")));
    s.end = domain::instant(std::chrono::seconds(get_int(m, "end")));
    s.seats = static_cast<int>(get_int(m, "seats"));
    s.taken = static_cast<int>(get_int(m, "taken"));
    s.waiting = waiting;
    s.status = get(m, "status");
    s.late_minutes = static_cast<int>(get_int(m, "late_minutes"));
    s.attended = static_cast<int>(get_int(m, "attended"));
    s.no_show = static_cast<int>(get_int(m, "no_show"));
    s.checked_in = static_cast<int>(get_int(m, "checked_in"));
    s.busy = get(m, "busy") == "1";
    s.walkin_only = get(m, "walkin_only") == "1";
    s.version = get(m, "version");
    s.offer_entry = get(m, "offer_entry");
    s.offer_ticket = static_cast<int>(get_int(m, "offer_ticket"));
    s.offer_until = domain::instant(std::chrono::seconds(get_int(m, "offer_until")));
    return s;
}

asio::awaitable<result<std::vector<std::string>>> record_reader::members(std::string set_key)
{
    result<std::vector<std::string>> out;
    redis::command_args cmd{"SMEMBERS", std::move(set_key)};
    redis::result r = co_await runner_.redis().command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    for (const auto& e : r->elements) out.value.push_back(e.str);
    std::sort(out.value.begin(), out.value.end());
    co_return out;
}

asio::awaitable<result<std::vector<field_map>>> record_reader::hashes(std::vector<std::string> keys)
{
    if (keys.empty()) co_return result<std::vector<field_map>>{};
    scripts::read_hashes::input in{std::move(keys)};
    co_return co_await runner_.run<scripts::read_hashes>(std::move(in));
}

asio::awaitable<result<std::vector<field_map>>> record_reader::indexed(
    std::string index, std::string (keys::*key_of)(std::string_view) const)
{
    auto ids = co_await members(std::move(index));
    if (!ids.ok()) co_return result<std::vector<field_map>>::failed(ids);
    std::vector<std::string> ks;
    for (const auto& id : ids.value) ks.push_back((keys_.*key_of)(id));
    auto all = co_await hashes(std::move(ks));
    std::erase_if(all.value, [](const field_map& m) { return m.empty(); }); // listed, then deleted in between
    co_return all;
}

asio::awaitable<result<std::string>> record_reader::field(std::string key, std::string name, refusal missing)
{
    result<std::string> out;
    redis::command_args cmd{"HGET", std::move(key), std::move(name)};
    redis::result r = co_await runner_.redis().command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (r->is_nil()) out.refused = missing;
    else out.value = r->str;
    co_return out;
}

asio::awaitable<result<std::vector<domain::session>>> record_reader::sessions(session_query q)
{
    std::string index = !q.camp_id.empty()     ? keys_.camp_sessions(q.camp_id)
                        : !q.expert_id.empty() ? keys_.expert_sessions(q.expert_id)
                                               : keys_.sessions();
    redis::command_args cmd{"ZRANGEBYSCORE", index, epoch(q.from), "(" + epoch(q.to),
                            "LIMIT", "0", std::to_string(q.limit)};
    redis::result ids = co_await runner_.redis().command(std::move(cmd));
    result<std::vector<domain::session>> out;
    if (!usable(ids, out)) co_return out;
    std::vector<std::string> session_ids;
    for (const auto& e : ids->elements) session_ids.push_back(e.str);
    auto found = co_await sessions_by_id(std::move(session_ids));
    if (!found.ok()) co_return found;
    for (auto& s : found.value) {
        if (!q.expert_id.empty() && s.expert_id != q.expert_id) continue;
        if (q.free_only && (s.status != "open" || s.taken >= s.seats || s.waiting > 0)) continue;
        out.value.push_back(std::move(s));
    }
    co_return out;
}

asio::awaitable<result<std::vector<domain::session>>> record_reader::event_sessions()
{
    auto ids = co_await members(keys_.events());
    if (!ids.ok()) co_return result<std::vector<domain::session>>::failed(ids);
    co_return co_await sessions_by_id(std::move(ids.value));
}

asio::awaitable<result<domain::session>> record_reader::session(std::string id)
{
    std::vector<std::string> one{std::move(id)};
    auto found = co_await sessions_by_id(std::move(one));
    if (!found.ok()) co_return result<domain::session>::failed(found);
    if (found.value.empty()) co_return result<domain::session>::failed(outcome::refusing(refusal::unknown_session));
    co_return result<domain::session>(std::move(found.value.front()));
}

asio::awaitable<result<std::vector<domain::session>>> record_reader::sessions_by_id(std::vector<std::string> ids)
{
    result<std::vector<domain::session>> out;
    if (ids.empty()) co_return out;
    scripts::read_sessions::input in{std::move(ids)};
    auto read = co_await runner_.run<scripts::read_sessions>(std::move(in));
    if (!read.ok()) co_return result<std::vector<domain::session>>::failed(read);
    for (const auto& s : read.value)
        if (!s.fields.empty()) out.value.push_back(session_from(s.fields, s.waiting));
    co_return out;
}

asio::awaitable<result<std::vector<domain::booking>>> record_reader::session_bookings(std::string session_id)
{
    result<std::vector<domain::booking>> out;
    redis::command_args confirmed{"SMEMBERS", keys_.session_bookings(session_id)};
    redis::result c = co_await runner_.redis().command(std::move(confirmed));
    if (!usable(c, out)) co_return out;
    redis::command_args waiting{"LRANGE", keys_.session_waitlist(session_id), "0", "-1"};
    redis::result w = co_await runner_.redis().command(std::move(waiting));
    if (!usable(w, out)) co_return out;
    std::vector<std::string> ids;
    for (const auto& e : c->elements) ids.push_back(e.str);
    std::sort(ids.begin(), ids.end());
    for (const auto& e : w->elements) ids.push_back(e.str);
    std::vector<std::string> ks;
    for (const auto& id : ids) ks.push_back(keys_.booking(id));
    auto found = co_await hashes(std::move(ks));
    if (!found.ok()) co_return result<std::vector<domain::booking>>::failed(found);
    for (const auto& m : found.value)
        if (!m.empty()) out.value.push_back(booking_from(m));
    co_return out;
}

} // namespace sp::store
