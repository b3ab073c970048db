#include "store/hub_store.hpp"

#include "log/logger.hpp"
#include "store/reply_helpers.hpp"
#include "store/rule_codec.hpp"
#include "util/json_writer.hpp"
#include "util/secrets.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <simdjson.h>

namespace asio = boost::asio;

namespace sp::store {
namespace {


constexpr int k_retries = 8; // optimistic retries when a waitlist head or plan moved




std::string json_list(const std::vector<std::string>& items)
{
    util::json_writer w;
    w.begin_array();
    for (const auto& i : items) w.value(i);
    w.end_array();
    return w.take();
}

std::vector<std::string> parse_list(const std::string& json)
{
    std::vector<std::string> out;
    simdjson::dom::parser p;
    simdjson::dom::array arr;
    if (json.empty() || p.parse(json).get(arr) != simdjson::SUCCESS) return out;
    for (auto e : arr) {
        std::string_view s;
        if (e.get(s) == simdjson::SUCCESS) out.emplace_back(s);
    }
    return out;
}

domain::session to_session(const field_map& m, int waiting)
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
    s.version = get(m, "version");
    return s;
}


/** The fields every session of an office-hour rule shares. */
std::vector<std::string> rule_session_fields(const domain::office_hour_rule& r)
{
    return {"kind",    "office_hour", "owner_id",   r.id,           "expert_id", r.expert_id, "camp_id", r.camp_id,
            "room_id", r.room_id,     "online_url", r.online_url,   "zone",      r.zone,      "title",   "",
            "topic",   ""};
}

} // namespace

hub_store::hub_store(redis::client& redis, store_settings settings)
    : redis_(redis), settings_(std::move(settings)), keys_(settings_.prefix)
{
}

asio::awaitable<redis::result> hub_store::eval(std::string_view script, std::vector<std::string> keys,
                                               std::vector<std::string> args)
{
    // Scripts whose changes cause messages take the outbox as their last two keys and
    // whether webhooks are on as their last argument (redis/scripts/lib/outbox.lua).
    static constexpr std::string_view k_notifying[] = {"book", "cancel", "reschedule", "session_cancel", "session_late"};
    if (std::find(std::begin(k_notifying), std::end(k_notifying), script) != std::end(k_notifying)) {
        keys.push_back(keys_.outbox());
        keys.push_back(keys_.outbox_seq());
        args.push_back(settings_.webhooks ? "1" : "0");
    }
    co_return co_await redis_.eval(script, std::move(keys), std::move(args));
}

asio::awaitable<result<std::vector<std::string>>> hub_store::members(std::string set_key)
{
    result<std::vector<std::string>> out;
    redis::command_args cmd{"SMEMBERS", std::move(set_key)};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    for (const auto& e : r->elements) out.value.push_back(e.str);
    std::sort(out.value.begin(), out.value.end());
    co_return out;
}

asio::awaitable<result<std::vector<hub_store::record>>> hub_store::read_hashes(std::vector<std::string> keys)
{
    result<std::vector<record>> out;
    if (keys.empty()) co_return out;
    std::vector<std::string> no_args;
    redis::result r = co_await eval("read_hashes", std::move(keys), std::move(no_args));
    if (!usable(r, out)) co_return out;
    for (const auto& h : r->elements) out.value.push_back(to_map(h));
    co_return out;
}

asio::awaitable<result<std::vector<hub_store::record>>> hub_store::indexed_records(
    std::string index, std::string (keys::*key_of)(std::string_view) const)
{
    result<std::vector<record>> out;
    auto ids = co_await members(std::move(index));
    if (!ids.ok()) {
        static_cast<outcome&>(out) = ids;
        co_return out;
    }
    std::vector<std::string> ks;
    for (const auto& id : ids.value) ks.push_back((keys_.*key_of)(id));
    auto hashes = co_await read_hashes(std::move(ks));
    static_cast<outcome&>(out) = hashes;
    for (auto& m : hashes.value)
        if (!m.empty()) out.value.push_back(std::move(m)); // listed, then deleted in between
    co_return out;
}

asio::awaitable<result<std::string>> hub_store::booking_id_for(const std::string& token)
{
    result<std::string> out;
    if (!util::plausible_token(token)) {
        out.refusal = "unknown-token";
        co_return out;
    }
    redis::command_args get_cmd{"GET", keys_.token(util::sha256_hex(token))};
    redis::result id = co_await redis_.command(std::move(get_cmd));
    if (!usable(id, out)) co_return out;
    if (id->is_nil()) out.refusal = "unknown-token";
    else out.value = id->str;
    co_return out;
}

// ------------------------------------------------------------------ reads

asio::awaitable<result<std::vector<domain::camp>>> hub_store::camps()
{
    result<std::vector<domain::camp>> out;
    auto records = co_await indexed_records(keys_.camps(), &keys::camp);
    static_cast<outcome&>(out) = records;
    for (const auto& m : records.value)
        out.value.push_back({get(m, "id"), get(m, "name"), get(m, "city"), get(m, "focus"), get(m, "address"),
                             get(m, "zone")});
    co_return out;
}

asio::awaitable<result<std::vector<domain::room>>> hub_store::rooms()
{
    result<std::vector<domain::room>> out;
    auto records = co_await indexed_records(keys_.rooms(), &keys::room);
    static_cast<outcome&>(out) = records;
    for (const auto& m : records.value)
        out.value.push_back({get(m, "id"), get(m, "camp_id"), get(m, "name"), static_cast<int>(get_int(m, "capacity"))});
    co_return out;
}

asio::awaitable<result<std::vector<domain::expert>>> hub_store::experts()
{
    result<std::vector<domain::expert>> out;
    auto records = co_await indexed_records(keys_.experts(), &keys::expert);
    static_cast<outcome&>(out) = records;
    for (const auto& m : records.value)
        out.value.push_back({get(m, "id"), get(m, "name"), get(m, "title"), get(m, "bio"), parse_list(get(m, "topics")),
                             parse_list(get(m, "languages")), parse_list(get(m, "camps"))});
    co_return out;
}

asio::awaitable<result<std::vector<domain::session>>> hub_store::sessions(session_query q)
{
    result<std::vector<domain::session>> out;
    std::string index = !q.camp_id.empty()     ? keys_.camp_sessions(q.camp_id)
                        : !q.expert_id.empty() ? keys_.expert_sessions(q.expert_id)
                                               : keys_.sessions();
    redis::command_args cmd{"ZRANGEBYSCORE", index, epoch(q.from), "(" + epoch(q.to),
                            "LIMIT", "0", std::to_string(q.limit)};
    redis::result ids = co_await redis_.command(std::move(cmd));
    if (!usable(ids, out)) co_return out;
    std::vector<std::string> ks;
    for (const auto& e : ids->elements) {
        ks.push_back(keys_.session(e.str));
        ks.push_back(keys_.session_waitlist(e.str));
    }
    if (ks.empty()) co_return out;
    std::vector<std::string> no_args;
    redis::result r = co_await eval("read_sessions", std::move(ks), std::move(no_args));
    if (!usable(r, out)) co_return out;
    for (const auto& pair : r->elements) {
        if (pair.elements.size() != 2) continue;
        auto m = to_map(pair.elements[0]);
        if (m.empty()) continue;
        domain::session s = to_session(m, static_cast<int>(pair.elements[1].integer));
        if (!q.expert_id.empty() && s.expert_id != q.expert_id) continue;
        if (q.free_only && (s.status != "open" || s.taken >= s.seats || s.waiting > 0)) continue;
        out.value.push_back(std::move(s));
    }
    co_return out;
}

asio::awaitable<result<domain::session>> hub_store::session(std::string id)
{
    result<domain::session> out;
    std::vector<std::string> ks{keys_.session(id), keys_.session_waitlist(id)};
    std::vector<std::string> no_args;
    redis::result r = co_await eval("read_sessions", std::move(ks), std::move(no_args));
    if (!usable(r, out)) co_return out;
    if (r->elements.empty() || r->elements[0].elements.size() != 2) {
        out.refusal = "unknown-session";
        co_return out;
    }
    auto m = to_map(r->elements[0].elements[0]);
    if (m.empty()) {
        out.refusal = "unknown-session";
        co_return out;
    }
    out.value = to_session(m, static_cast<int>(r->elements[0].elements[1].integer));
    co_return out;
}

asio::awaitable<result<std::vector<domain::session>>> hub_store::sessions_by_id(std::vector<std::string> ids)
{
    result<std::vector<domain::session>> out;
    if (ids.empty()) co_return out;
    std::vector<std::string> ks;
    for (const auto& id : ids) {
        ks.push_back(keys_.session(id));
        ks.push_back(keys_.session_waitlist(id));
    }
    std::vector<std::string> no_args;
    redis::result r = co_await eval("read_sessions", std::move(ks), std::move(no_args));
    if (!usable(r, out)) co_return out;
    for (const auto& pair : r->elements) {
        if (pair.elements.size() != 2) continue;
        auto m = to_map(pair.elements[0]);
        if (!m.empty()) out.value.push_back(to_session(m, static_cast<int>(pair.elements[1].integer)));
    }
    co_return out;
}

asio::awaitable<result<std::vector<log_entry>>> hub_store::log_after(std::string version, std::size_t count)
{
    result<std::vector<log_entry>> out;
    redis::command_args cmd{"XRANGE", keys_.changes(), "(" + version, "+", "COUNT", std::to_string(count)};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (usable(r, out)) out.value = parse_log_entries(*r);
    co_return out;
}

asio::awaitable<result<log_position>> hub_store::log_bounds(std::string since)
{
    result<log_position> out;
    std::vector<std::string> ks{keys_.changes()};
    std::vector<std::string> args{std::move(since)};
    redis::result r = co_await eval("log_bounds", std::move(ks), std::move(args));
    if (!usable(r, out)) co_return out;
    out.value = {str_at(*r, 0), str_at(*r, 1), int_at(*r, 2) == 1};
    co_return out;
}

asio::awaitable<result<managed_booking>> hub_store::booking_by_token(std::string token)
{
    auto id = co_await booking_id_for(token);
    if (!id.ok()) {
        result<managed_booking> out;
        static_cast<outcome&>(out) = id;
        co_return out;
    }
    auto b = co_await booking_by_id(id.value);
    if (b.refusal == "unknown-booking") b.refusal = "unknown-token";
    co_return b;
}

asio::awaitable<result<managed_booking>> hub_store::booking_by_id(std::string booking_id)
{
    result<managed_booking> out;
    std::vector<std::string> booking_keys{keys_.booking(booking_id)};
    auto hashes = co_await read_hashes(std::move(booking_keys));
    if (!hashes.ok()) {
        static_cast<outcome&>(out) = hashes;
        co_return out;
    }
    const record& m = hashes.value.at(0);
    if (m.empty()) {
        out.refusal = "unknown-booking";
        co_return out;
    }
    auto& b = out.value.booking;
    b = booking_from(m);
    auto s = co_await session(b.session_id);
    if (!s.ok()) {
        static_cast<outcome&>(out) = s;
        co_return out;
    }
    out.value.session = std::move(s.value);
    co_return out;
}

// ------------------------------------------------------------------ founders

asio::awaitable<result<book_result>> hub_store::book(book_request req, domain::instant now)
{
    result<book_result> out;
    const auto& lim = settings_.limits;
    std::string token = util::random_token();
    std::string booking_id = util::random_id("b");
    std::string idem_hash = req.idempotency_key.empty() ? "-" : util::sha256_hex(req.idempotency_key);
    std::string sealed = req.idempotency_key.empty() ? "" : util::seal(req.idempotency_key, token);
    std::vector<std::string> ks{keys_.session(req.session_id),
                                keys_.session_bookings(req.session_id),
                                keys_.session_waitlist(req.session_id),
                                keys_.founder(util::sha256_hex(req.email)),
                                keys_.booking(booking_id),
                                keys_.token(util::sha256_hex(token)),
                                keys_.idempotency(idem_hash),
                                keys_.changes(),
                                keys_.founder_all(keys_.founder(util::sha256_hex(req.email))),
                                keys_.personal_data()};
    std::vector<std::string> args{req.waitlist ? "waitlist" : "book",
                                  booking_id,
                                  req.session_id,
                                  epoch(now),
                                  std::to_string(lim.min_notice.count()),
                                  std::to_string(std::chrono::duration_cast<std::chrono::seconds>(lim.horizon).count()),
                                  std::to_string(lim.max_upcoming_per_founder),
                                  std::to_string(lim.max_per_expert_per_week),
                                  lim.forbid_overlap ? "1" : "0",
                                  std::to_string(settings_.waitlist_max),
                                  util::sha256_hex(token),
                                  req.idempotency_key.empty() ? "" : util::sha256_hex(req.fingerprint),
                                  sealed,
                                  std::to_string(settings_.idempotency_ttl.count()),
                                  std::to_string(settings_.change_log_max),
                                  req.name,
                                  req.email,
                                  req.startup,
                                  req.question,
                                  req.lang,
                                  token};
    redis::result r = co_await eval("book", std::move(ks), std::move(args));
    if (!usable(r, out)) co_return out;
    std::string kind = str_at(*r, 0);
    if (kind == "err") {
        out.refusal = str_at(*r, 1);
        co_return out;
    }
    if (kind == "replay") {
        out.value.replayed = true;
        out.value.booking_id = str_at(*r, 1);
        out.value.token = util::unseal(req.idempotency_key, str_at(*r, 2));
        auto current = co_await booking_by_id(out.value.booking_id);
        if (!current.ok()) {
            static_cast<outcome&>(out) = current;
            co_return out;
        }
        out.value.view = std::move(current.value);
        out.value.status = out.value.view.booking.status;
        out.value.taken = out.value.view.session.taken;
        out.value.waiting = out.value.view.session.waiting;
        out.value.version = out.value.view.session.version;
        co_return out;
    }
    out.value.booking_id = str_at(*r, 1);
    out.value.token = std::move(token);
    out.value.status = str_at(*r, 2);
    out.value.taken = int_at(*r, 3);
    out.value.waiting = int_at(*r, 4);
    out.value.version = str_at(*r, 5);
    if (r->elements.size() < 8) {
        out.unavailable = true;
        out.detail = "book: short reply";
        co_return out;
    }
    out.value.view.booking = booking_from(to_map(r->elements[6]));
    out.value.view.session = to_session(to_map(r->elements[7]), out.value.waiting);
    co_return out;
}

asio::awaitable<result<hub_store::booking_place>> hub_store::place_of(const std::string& booking_id)
{
    result<booking_place> out;
    redis::command_args hm{"HMGET", keys_.booking(booking_id), "session_id", "founder_key"};
    redis::result b = co_await redis_.command(std::move(hm));
    if (!usable(b, out)) co_return out;
    out.value.session_id = str_at(*b, 0);
    out.value.founder_key = str_at(*b, 1);
    redis::command_args head_cmd{"LINDEX", keys_.session_waitlist(out.value.session_id), "0"};
    redis::result head = co_await redis_.command(std::move(head_cmd));
    if (!usable(head, out)) co_return out;
    if (!head->is_nil()) out.value.waitlist_head = head->str;
    co_return out;
}

asio::awaitable<result<cancel_result>> hub_store::cancel_by_token(std::string token, domain::instant now)
{
    auto id = co_await booking_id_for(token);
    if (!id.ok()) {
        result<cancel_result> out;
        static_cast<outcome&>(out) = id;
        co_return out;
    }
    std::string by = "founder";
    co_return co_await cancel_booking(id.value, now, by);
}

asio::awaitable<result<cancel_result>> hub_store::cancel_booking(std::string booking_id, domain::instant now,
                                                                 std::string by)
{
    result<cancel_result> out;
    for (int attempt = 0; attempt < k_retries; ++attempt) {
        auto place = co_await place_of(booking_id);
        if (!place.ok()) {
            static_cast<outcome&>(out) = place;
            co_return out;
        }
        const std::string& session_id = place.value.session_id;
        const std::string& founder_key = place.value.founder_key;
        const std::string& head_id = place.value.waitlist_head;
        std::vector<std::string> ks{keys_.booking(booking_id),
                                    keys_.session(session_id),
                                    keys_.session_bookings(session_id),
                                    keys_.session_waitlist(session_id),
                                    founder_key,
                                    keys_.changes(),
                                    keys_.booking(head_id.empty() ? booking_id : head_id)};
        std::vector<std::string> args{booking_id, session_id, epoch(now), head_id,
                                      std::to_string(settings_.change_log_max), by};
        redis::result r = co_await eval("cancel", std::move(ks), std::move(args));
        if (!usable(r, out)) co_return out;
        if (str_at(*r, 0) == "err") {
            if (str_at(*r, 1) == "retry") continue;
            out.refusal = str_at(*r, 1);
            co_return out;
        }
        out.value = {str_at(*r, 1), str_at(*r, 2), int_at(*r, 3), int_at(*r, 4), str_at(*r, 5)};
        co_return out;
    }
    out.unavailable = true;
    out.detail = "cancel: too much contention, try again";
    co_return out;
}

asio::awaitable<result<cancel_result>> hub_store::reschedule_by_token(std::string token, std::string new_session_id,
                                                                     domain::instant now)
{
    result<cancel_result> out;
    auto id = co_await booking_id_for(token);
    if (!id.ok()) {
        static_cast<outcome&>(out) = id;
        co_return out;
    }
    std::string booking_id = id.value;
    const auto& lim = settings_.limits;
    for (int attempt = 0; attempt < k_retries; ++attempt) {
        auto place = co_await place_of(booking_id);
        if (!place.ok()) {
            static_cast<outcome&>(out) = place;
            co_return out;
        }
        const std::string& old_id = place.value.session_id;
        const std::string& founder_key = place.value.founder_key;
        const std::string& head_id = place.value.waitlist_head;
        std::vector<std::string> ks{keys_.booking(booking_id),
                                    keys_.session(old_id),
                                    keys_.session_bookings(old_id),
                                    keys_.session_waitlist(old_id),
                                    keys_.booking(head_id.empty() ? booking_id : head_id),
                                    keys_.session(new_session_id),
                                    keys_.session_bookings(new_session_id),
                                    keys_.session_waitlist(new_session_id),
                                    founder_key,
                                    keys_.changes()};
        std::vector<std::string> args{
            booking_id,
            old_id,
            new_session_id,
            epoch(now),
            std::to_string(lim.min_notice.count()),
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(lim.horizon).count()),
            std::to_string(lim.max_per_expert_per_week),
            lim.forbid_overlap ? "1" : "0",
            head_id,
            std::to_string(settings_.change_log_max)};
        redis::result r = co_await eval("reschedule", std::move(ks), std::move(args));
        if (!usable(r, out)) co_return out;
        if (str_at(*r, 0) == "err") {
            if (str_at(*r, 1) == "retry") continue;
            out.refusal = str_at(*r, 1);
            co_return out;
        }
        out.value = {"confirmed", str_at(*r, 1), int_at(*r, 3), 0, str_at(*r, 4)};
        co_return out;
    }
    out.unavailable = true;
    out.detail = "reschedule: too much contention, try again";
    co_return out;
}

// ------------------------------------------------------------------ admin writes

asio::awaitable<result<bool>> hub_store::put_entity(std::string key, std::string index, std::string second_index,
                                                    std::string previous_index, std::string id, std::string change,
                                                    std::string by, std::vector<std::string> fields)
{
    result<bool> out;
    std::vector<std::string> ks{std::move(key), index, keys_.changes(), second_index.empty() ? index : second_index};
    if (!previous_index.empty()) ks.push_back(std::move(previous_index));
    std::vector<std::string> args{std::move(id), std::move(change), std::to_string(settings_.change_log_max),
                                  std::move(by)};
    for (auto& f : fields) args.push_back(std::move(f));
    redis::result r = co_await eval("entity_put", std::move(ks), std::move(args));
    if (usable(r, out)) out.value = str_at(*r, 2) == "created";
    co_return out;
}

asio::awaitable<result<bool>> hub_store::put_camp(domain::camp c, std::string by)
{
    // Named vectors, never braced lists, inside co_await: GCC 12 miscompiles those.
    std::vector<std::string> fields{"name", c.name, "city", c.city, "focus", c.focus, "address", c.address,
                                    "zone", c.zone};
    co_return co_await put_entity(keys_.camp(c.id), keys_.camps(), "", "", c.id, "camp.put", std::move(by),
                                  std::move(fields));
}

asio::awaitable<result<bool>> hub_store::put_room(domain::room r, std::string by)
{
    result<bool> out;
    redis::command_args was{"HGET", keys_.room(r.id), "camp_id"};
    redis::result before = co_await redis_.command(std::move(was));
    if (!usable(before, out)) co_return out;
    std::string previous = before->is_nil() ? std::string{} : keys_.camp_rooms(before->str);
    std::vector<std::string> fields{"camp_id", r.camp_id, "name", r.name, "capacity", std::to_string(r.capacity)};
    co_return co_await put_entity(keys_.room(r.id), keys_.rooms(), keys_.camp_rooms(r.camp_id), std::move(previous),
                                  r.id, "room.put", std::move(by), std::move(fields));
}

asio::awaitable<result<bool>> hub_store::put_expert(domain::expert e, std::string by)
{
    std::vector<std::string> fields{"name",   e.name,  "title",     e.title,  "bio",
                                    e.bio,    "topics", json_list(e.topics), "languages", json_list(e.languages),
                                    "camps",  json_list(e.camp_ids)};
    co_return co_await put_entity(keys_.expert(e.id), keys_.experts(), "", "", e.id, "expert.put", std::move(by),
                                  std::move(fields));
}

asio::awaitable<result<expansion_counts>> hub_store::upsert_sessions(const std::string& owner_id,
                                                                     std::vector<std::string> common,
                                                                     const std::vector<domain::planned_session>& plan,
                                                                     const std::string& camp_id,
                                                                     const std::string& expert_id,
                                                                     const std::string& week_zone, domain::instant now)
{
    result<expansion_counts> out;
    const date::time_zone* zone = domain::find_zone(week_zone);
    std::string common_joined;
    for (const auto& c : common) common_joined += c + '\x1f';
    for (int attempt = 0; attempt < k_retries; ++attempt) {
        redis::command_args range{"ZRANGEBYSCORE", keys_.owner_sessions(owner_id), "(" + epoch(now), "+inf"};
        redis::result existing = co_await redis_.command(std::move(range));
        if (!usable(existing, out)) co_return out;

        std::vector<std::string> ks{keys_.owner_sessions(owner_id), keys_.sessions(), keys_.camp_sessions(camp_id),
                                    keys_.expert_sessions(expert_id), keys_.changes()};
        std::vector<std::string> args{epoch(now), std::to_string(settings_.change_log_max),
                                      std::to_string(plan.size()), std::to_string(existing->elements.size()),
                                      std::to_string(common.size() / 2)};
        for (const auto& c : common) args.push_back(c);
        for (const auto& p : plan) {
            ks.push_back(keys_.session(p.id));
            args.push_back(p.id);
            args.push_back(epoch(p.start));
            args.push_back(epoch(p.end));
            args.push_back(std::to_string(p.seats));
            args.push_back(zone ? domain::iso_week_key(p.start, zone) : "");
            args.push_back(util::sha256_hex(common_joined + epoch(p.start) + '\x1f' + epoch(p.end) + '\x1f' +
                                            std::to_string(p.seats))
                               .substr(0, 16));
        }
        for (const auto& e : existing->elements) {
            ks.push_back(keys_.session(e.str));
            ks.push_back(keys_.session_waitlist(e.str));
            args.push_back(e.str);
        }
        redis::result r = co_await eval("sessions_upsert", std::move(ks), std::move(args));
        if (!usable(r, out)) co_return out;
        if (str_at(*r, 0) == "err") {
            if (str_at(*r, 1) == "retry") continue;
            out.refusal = str_at(*r, 1);
            co_return out;
        }
        out.value = {int_at(*r, 1), int_at(*r, 2), int_at(*r, 3), int_at(*r, 4)};
        co_return out;
    }
    out.unavailable = true;
    out.detail = "expansion: too much contention, try again";
    co_return out;
}

asio::awaitable<result<expansion_counts>> hub_store::put_rule(domain::office_hour_rule rule,
                                                              std::vector<domain::rule_exception> exceptions,
                                                              domain::instant now, std::string by)
{
    result<expansion_counts> out;
    if (auto problems = domain::validate(rule); !problems.empty()) {
        out.refusal = "invalid-rule:" + problems.front().field + ": " + problems.front().message;
        co_return out;
    }
    std::vector<std::string> fields{"expert_id", rule.expert_id, "camp_id", rule.camp_id, "spec",
                                    encode_rule({rule, exceptions})};
    outcome saved = co_await put_entity(keys_.rule(rule.id), keys_.rules(), keys_.expert_rules(rule.expert_id), "",
                                        rule.id, "rule.put", std::move(by), std::move(fields));
    if (!saved.ok()) {
        static_cast<outcome&>(out) = saved;
        co_return out;
    }
    auto plan = domain::expand(rule, exceptions, now, now + settings_.expansion_horizon);
    co_return co_await upsert_sessions(rule.id, rule_session_fields(rule), plan, rule.camp_id, rule.expert_id,
                                       rule.zone, now);
}

asio::awaitable<result<expansion_counts>> hub_store::put_event(domain::event e, domain::instant now, std::string by)
{
    result<expansion_counts> out;
    std::string zone = "Europe/Berlin";
    {
        redis::command_args cmd{"HGET", keys_.camp(e.camp_id), "zone"};
        redis::result z = co_await redis_.command(std::move(cmd));
        if (!usable(z, out)) co_return out;
        if (z->is_nil()) {
            out.refusal = "unknown-camp";
            co_return out;
        }
        zone = z->str;
    }
    std::vector<std::string> fields{"camp_id", e.camp_id, "room_id", e.room_id, "expert_id", e.expert_id,
                                    "title", e.title, "description", e.description, "topic", e.topic,
                                    "start", epoch(e.start), "end", epoch(e.end), "seats", std::to_string(e.seats)};
    outcome saved = co_await put_entity(keys_.event(e.id), keys_.events(), "", "", e.id, "event.put", std::move(by),
                                        std::move(fields));
    if (!saved.ok()) {
        static_cast<outcome&>(out) = saved;
        co_return out;
    }
    std::vector<domain::planned_session> plan{{e.id, e.id, e.start, e.end, e.seats}};
    std::vector<std::string> common{"kind",    "event",    "owner_id", e.id,    "expert_id", e.expert_id,
                                    "camp_id", e.camp_id, "room_id", e.room_id, "online_url", "",
                                    "zone",    zone,       "title",   e.title, "topic",     e.topic};
    co_return co_await upsert_sessions(e.id, std::move(common), plan, e.camp_id, e.expert_id, zone, now);
}

asio::awaitable<result<expansion_counts>> hub_store::delete_rule(std::string rule_id, domain::instant now,
                                                                        std::string by)
{
    result<expansion_counts> out;
    redis::command_args cmd{"HGET", keys_.rule(rule_id), "spec"};
    redis::result spec = co_await redis_.command(std::move(cmd));
    if (!usable(spec, out)) co_return out;
    if (spec->is_nil()) {
        out.refusal = "unknown-rule";
        co_return out;
    }
    auto decoded = decode_rule(spec->str);
    const auto& rule = decoded.spec.rule;
    // An empty plan: unbooked future sessions are removed, booked ones orphaned.
    std::vector<domain::planned_session> nothing;
    auto r = co_await upsert_sessions(rule_id, rule_session_fields(rule), nothing, rule.camp_id, rule.expert_id,
                                      rule.zone, now);
    if (!r.ok()) co_return r;
    std::vector<std::string> index_sets{keys_.rules(), keys_.expert_rules(rule.expert_id)};
    std::vector<std::pair<std::string, std::string>> no_guards;
    outcome d = co_await delete_entity(keys_.rule(rule_id), rule_id, "rule.deleted", std::move(by),
                                       std::move(index_sets), std::move(no_guards), now);
    static_cast<outcome&>(out) = d;
    if (d.refusal == "unknown") out.refusal = "unknown-rule";
    out.value = r.value;
    co_return out;
}

asio::awaitable<result<expansion_counts>> hub_store::expand_all(domain::instant now)
{
    result<expansion_counts> out;
    auto ids = co_await members(keys_.rules());
    if (!ids.ok()) {
        static_cast<outcome&>(out) = ids;
        co_return out;
    }
    for (const auto& id : ids.value) {
        redis::command_args cmd{"HGET", keys_.rule(id), "spec"};
        redis::result spec = co_await redis_.command(std::move(cmd));
        if (!usable(spec, out)) co_return out;
        if (spec->is_nil()) continue;
        auto decoded = decode_rule(spec->str);
        if (!decoded.problems.empty()) {
            log::error("rule_unreadable", {{"rule", id}, {"field", decoded.problems.front().field}});
            continue;
        }
        const auto& rule = decoded.spec.rule;
        auto plan = domain::expand(rule, decoded.spec.exceptions, now, now + settings_.expansion_horizon);
        auto r = co_await upsert_sessions(rule.id, rule_session_fields(rule), plan, rule.camp_id, rule.expert_id,
                                          rule.zone, now);
        if (!r.ok()) {
            static_cast<outcome&>(out) = r;
            co_return out;
        }
        out.value.created += r.value.created;
        out.value.updated += r.value.updated;
        out.value.removed += r.value.removed;
        out.value.orphaned += r.value.orphaned;
    }
    co_return out;
}

asio::awaitable<result<std::vector<domain::booking>>> hub_store::session_bookings(std::string session_id)
{
    result<std::vector<domain::booking>> out;
    redis::command_args confirmed{"SMEMBERS", keys_.session_bookings(session_id)};
    redis::result c = co_await redis_.command(std::move(confirmed));
    if (!usable(c, out)) co_return out;
    redis::command_args waiting{"LRANGE", keys_.session_waitlist(session_id), "0", "-1"};
    redis::result w = co_await redis_.command(std::move(waiting));
    if (!usable(w, out)) co_return out;
    std::vector<std::string> ids;
    for (const auto& e : c->elements) ids.push_back(e.str);
    std::sort(ids.begin(), ids.end());
    for (const auto& e : w->elements) ids.push_back(e.str);
    std::vector<std::string> ks;
    for (const auto& id : ids) ks.push_back(keys_.booking(id));
    auto hashes = co_await read_hashes(std::move(ks));
    if (!hashes.ok()) {
        static_cast<outcome&>(out) = hashes;
        co_return out;
    }
    for (const auto& m : hashes.value) {
        if (m.empty()) continue;
        out.value.push_back(booking_from(m));
    }
    co_return out;
}

asio::awaitable<result<std::vector<std::string>>> hub_store::rule_specs_of(std::string expert_id)
{
    result<std::vector<std::string>> out;
    auto records = co_await indexed_records(keys_.expert_rules(expert_id), &keys::rule);
    static_cast<outcome&>(out) = records;
    for (const auto& m : records.value) out.value.push_back(get(m, "spec"));
    co_return out;
}

asio::awaitable<result<std::string>> hub_store::rule_owner(std::string rule_id)
{
    result<std::string> out;
    redis::command_args cmd{"HGET", keys_.rule(rule_id), "expert_id"};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (r->is_nil()) out.refusal = "unknown-rule";
    else out.value = r->str;
    co_return out;
}

asio::awaitable<result<int>> hub_store::cancel_session(std::string session_id, std::string message, std::string by,
                                                       domain::instant now)
{
    result<int> out;
    for (int attempt = 0; attempt < k_retries; ++attempt) {
        auto held = co_await session_bookings(session_id);
        if (!held.ok()) {
            static_cast<outcome&>(out) = held;
            co_return out;
        }
        std::vector<std::string> ks{keys_.session(session_id), keys_.session_bookings(session_id),
                                    keys_.session_waitlist(session_id), keys_.changes()};
        std::vector<std::string> args{epoch(now), std::to_string(settings_.change_log_max), message, by, session_id};
        for (const auto& b : held.value) {
            redis::command_args fk{"HGET", keys_.booking(b.id), "founder_key"};
            redis::result f = co_await redis_.command(std::move(fk));
            if (!usable(f, out)) co_return out;
            ks.push_back(keys_.booking(b.id));
            ks.push_back(f->is_nil() ? keys_.founder("-") : f->str);
            args.push_back(b.id);
        }
        redis::result r = co_await eval("session_cancel", std::move(ks), std::move(args));
        if (!usable(r, out)) co_return out;
        if (str_at(*r, 0) == "err") {
            if (str_at(*r, 1) == "retry") continue;
            out.refusal = str_at(*r, 1);
            co_return out;
        }
        out.value = int_at(*r, 1);
        co_return out;
    }
    out.unavailable = true;
    out.detail = "cancel session: too much contention, try again";
    co_return out;
}

asio::awaitable<result<std::string>> hub_store::booking_session(std::string booking_id)
{
    result<std::string> out;
    redis::command_args cmd{"HGET", keys_.booking(booking_id), "session_id"};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (r->is_nil()) out.refusal = "unknown-booking";
    else out.value = r->str;
    co_return out;
}

asio::awaitable<outcome> hub_store::set_attendance(std::string booking_id, std::string session_id, std::string status,
                                                   std::string by, domain::instant now)
{
    result<std::string> out;
    std::vector<std::string> ks{keys_.booking(booking_id), keys_.changes(), keys_.session(session_id)};
    std::vector<std::string> args{std::move(status), epoch(now), std::move(by), std::to_string(settings_.change_log_max),
                                  std::move(session_id)};
    redis::result r = co_await eval("booking_attendance", std::move(ks), std::move(args));
    if (usable(r, out) && str_at(*r, 0) == "err") out.refusal = str_at(*r, 1);
    co_return static_cast<outcome&>(out);
}

asio::awaitable<outcome> hub_store::set_late(std::string session_id, int minutes, std::string by, domain::instant now)
{
    result<std::string> out;
    std::vector<std::string> ks{keys_.session(session_id), keys_.changes(), keys_.session_bookings(session_id)};
    std::vector<std::string> args{std::to_string(minutes), epoch(now), std::move(by),
                                  std::to_string(settings_.change_log_max), std::move(session_id)};
    redis::result r = co_await eval("session_late", std::move(ks), std::move(args));
    if (usable(r, out) && str_at(*r, 0) == "err") out.refusal = str_at(*r, 1);
    co_return static_cast<outcome&>(out);
}

asio::awaitable<result<std::string>> hub_store::meta_get(std::string field)
{
    result<std::string> out;
    redis::command_args cmd{"HGET", keys_.meta(), std::move(field)};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (usable(r, out) && !r->is_nil()) out.value = r->str;
    co_return out;
}

asio::awaitable<outcome> hub_store::meta_set(std::string field, std::string value)
{
    outcome out;
    redis::command_args cmd{"HSET", keys_.meta(), std::move(field), std::move(value)};
    redis::result r = co_await redis_.command(std::move(cmd));
    usable(r, out);
    co_return out;
}

} // namespace sp::store
