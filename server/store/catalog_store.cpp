#include "store/catalog_store.hpp"

#include "store/rule_codec.hpp"
#include "store/scripts/catalog_scripts.hpp"
#include "util/json_writer.hpp"
#include "util/secrets.hpp"

#include <algorithm>
#include <simdjson.h>

namespace asio = boost::asio;

namespace sp::store {
namespace {

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

} // namespace

asio::awaitable<result<std::vector<domain::camp>>> catalog_store::camps()
{
    auto records = co_await reader_.indexed(keys_.camps(), &keys::camp);
    auto out = result<std::vector<domain::camp>>::failed(records);
    for (const auto& m : records.value)
    {
        domain::camp c{get(m, "id"), get(m, "name"), get(m, "city"), get(m, "focus"), get(m, "address"), get(m, "zone")};
        if (!get(m, "release_after_minutes").empty())
            c.release_after_minutes = static_cast<int>(get_int(m, "release_after_minutes"));
        if (!get(m, "auto_release").empty()) c.auto_release = get(m, "auto_release") == "1";
        out.value.push_back(std::move(c));
    }
    co_return out;
}

asio::awaitable<result<std::vector<domain::room>>> catalog_store::rooms()
{
    auto records = co_await reader_.indexed(keys_.rooms(), &keys::room);
    auto out = result<std::vector<domain::room>>::failed(records);
    for (const auto& m : records.value)
        out.value.push_back({get(m, "id"), get(m, "camp_id"), get(m, "name"), static_cast<int>(get_int(m, "capacity"))});
    co_return out;
}

asio::awaitable<result<std::vector<domain::expert>>> catalog_store::experts()
{
    auto records = co_await reader_.indexed(keys_.experts(), &keys::expert);
    auto out = result<std::vector<domain::expert>>::failed(records);
    if (!records.ok()) co_return out;
    auto with_photo = co_await reader_.members(keys_.experts_with_photo());
    if (!with_photo.ok()) co_return result<std::vector<domain::expert>>::failed(with_photo);
    for (const auto& m : records.value) {
        domain::expert e{get(m, "id"), get(m, "name"), get(m, "title"), get(m, "bio"), parse_list(get(m, "topics")),
                         parse_list(get(m, "languages")), parse_list(get(m, "camps"))};
        e.has_photo = std::binary_search(with_photo.value.begin(), with_photo.value.end(), e.id);
        out.value.push_back(std::move(e));
    }
    co_return out;
}

namespace {

domain::event event_from(const field_map& m)
{
    domain::event e;
    e.id = get(m, "id");
    e.camp_id = get(m, "camp_id");
    e.room_id = get(m, "room_id");
    e.expert_id = get(m, "expert_id");
    e.title = get(m, "title");
    e.description = get(m, "description");
    e.topic = get(m, "topic");
    e.start = domain::instant(std::chrono::seconds(get_int(m, "start")));
    e.end = domain::instant(std::chrono::seconds(get_int(m, "end")));
    e.seats = static_cast<int>(get_int(m, "seats"));
    return e;
}

} // namespace

asio::awaitable<result<domain::event>> catalog_store::event(std::string id)
{
    std::vector<std::string> ks{keys_.event(id)};
    auto hashes = co_await reader_.hashes(std::move(ks));
    if (!hashes.ok()) co_return result<domain::event>::failed(hashes);
    if (hashes.value.at(0).empty()) co_return result<domain::event>::failed(outcome::refusing(refusal::unknown_record));
    result<domain::event> out;
    out.value = event_from(hashes.value.at(0));
    co_return out;
}

asio::awaitable<result<std::vector<domain::event>>> catalog_store::events()
{
    auto records = co_await reader_.indexed(keys_.events(), &keys::event);
    auto out = result<std::vector<domain::event>>::failed(records);
    for (const auto& m : records.value) out.value.push_back(event_from(m));
    std::sort(out.value.begin(), out.value.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
    co_return out;
}

asio::awaitable<result<bool>> catalog_store::put(std::string key, std::string index, std::string second_index,
                                                 std::string previous_index, std::string id, std::string change,
                                                 std::string by, std::vector<std::string> fields)
{
    scripts::entity_put::input in{std::move(key),    std::move(index), std::move(second_index),
                                  std::move(previous_index), std::move(id), std::move(change),
                                  std::move(by),     settings_.change_log_max, std::move(fields)};
    auto r = co_await runner_.run<scripts::entity_put>(std::move(in));
    auto out = result<bool>::failed(r);
    out.value = r.value.created;
    co_return out;
}

asio::awaitable<result<bool>> catalog_store::put_camp(domain::camp c, std::string by)
{
    // Named vectors, never braced lists, inside co_await: GCC 12 miscompiles those.
    // "" = the hub's default (the record is replaced whole, so an unset value clears it).
    std::vector<std::string> fields{"name", c.name, "city", c.city, "focus", c.focus, "address", c.address,
                                    "zone", c.zone,
                                    "release_after_minutes",
                                    c.release_after_minutes ? std::to_string(*c.release_after_minutes) : std::string{},
                                    "auto_release", c.auto_release ? (*c.auto_release ? "1" : "0") : ""};
    co_return co_await put(keys_.camp(c.id), keys_.camps(), "", "", c.id, "camp.put", std::move(by), std::move(fields));
}

asio::awaitable<result<bool>> catalog_store::put_room(domain::room r, std::string by)
{
    auto before = co_await reader_.field(keys_.room(r.id), "camp_id", refusal::unknown_record);
    if (before.unavailable || before.defect) co_return result<bool>::failed(before);
    std::string previous = before.ok() ? keys_.camp_rooms(before.value) : std::string{};
    std::vector<std::string> fields{"camp_id", r.camp_id, "name", r.name, "capacity", std::to_string(r.capacity)};
    co_return co_await put(keys_.room(r.id), keys_.rooms(), keys_.camp_rooms(r.camp_id), std::move(previous), r.id,
                           "room.put", std::move(by), std::move(fields));
}

asio::awaitable<result<bool>> catalog_store::put_expert(domain::expert e, std::string by)
{
    std::vector<std::string> fields{"name",   e.name,  "title",     e.title,  "bio",
                                    e.bio,    "topics", json_list(e.topics), "languages", json_list(e.languages),
                                    "camps",  json_list(e.camp_ids)};
    co_return co_await put(keys_.expert(e.id), keys_.experts(), "", "", e.id, "expert.put", std::move(by),
                           std::move(fields));
}

asio::awaitable<outcome> catalog_store::remove(std::string key, std::string id, std::string change, std::string by,
                                               std::vector<std::string> index_sets,
                                               std::vector<std::pair<std::string, std::string>> guards,
                                               domain::instant now, std::vector<std::string> owned)
{
    scripts::entity_delete::input in{std::move(key),        std::move(id),          std::move(change),
                                     std::move(by),         now,                    settings_.change_log_max,
                                     std::move(index_sets), std::move(guards),      std::move(owned)};
    auto r = co_await runner_.run<scripts::entity_delete>(std::move(in));
    co_return static_cast<const outcome&>(r);
}

asio::awaitable<outcome> catalog_store::delete_camp(std::string id, domain::instant now, std::string by)
{
    // Experts name their camps inside their own records; those are checked here, the
    // camp's own index sets inside the script.
    auto experts_now = co_await experts();
    if (!experts_now.ok()) co_return static_cast<const outcome&>(experts_now);
    for (const auto& e : experts_now.value)
        if (std::find(e.camp_ids.begin(), e.camp_ids.end(), id) != e.camp_ids.end())
            co_return outcome::refusing(refusal::in_use, "experts");
    std::vector<std::string> index_sets{keys_.camps()};
    std::vector<std::pair<std::string, std::string>> guards{{"rooms", keys_.camp_rooms(id)},
                                                            {"sessions", keys_.camp_sessions(id)}};
    co_return co_await remove(keys_.camp(id), id, "camp.deleted", std::move(by), std::move(index_sets),
                              std::move(guards), now);
}

asio::awaitable<outcome> catalog_store::delete_room(std::string id, domain::instant now, std::string by)
{
    auto camp = co_await reader_.field(keys_.room(id), "camp_id", refusal::unknown_record);
    if (!camp.ok()) co_return static_cast<const outcome&>(camp);
    auto events_now = co_await events();
    if (!events_now.ok()) co_return static_cast<const outcome&>(events_now);
    for (const auto& e : events_now.value)
        if (e.room_id == id && e.end > now) co_return outcome::refusing(refusal::in_use, "events");
    auto rules = co_await reader_.indexed(keys_.rules(), &keys::rule);
    if (!rules.ok()) co_return static_cast<const outcome&>(rules);
    for (const auto& m : rules.value)
        if (decode_rule(get(m, "spec")).spec.rule.room_id == id) co_return outcome::refusing(refusal::in_use, "rules");
    std::vector<std::string> index_sets{keys_.rooms(), keys_.camp_rooms(camp.value)};
    std::vector<std::pair<std::string, std::string>> no_guards;
    co_return co_await remove(keys_.room(id), id, "room.deleted", std::move(by), std::move(index_sets),
                              std::move(no_guards), now);
}

asio::awaitable<outcome> catalog_store::delete_expert(std::string id, domain::instant now, std::string by)
{
    // The expert's own calendars (secret addresses), busy times and photo go with the expert.
    std::vector<std::string> index_sets{keys_.experts(), keys_.busy_experts(), keys_.experts_with_photo()};
    std::vector<std::pair<std::string, std::string>> guards{{"rules", keys_.expert_rules(id)},
                                                            {"sessions", keys_.expert_sessions(id)}};
    std::vector<std::string> owned{keys_.busy_feeds(id), keys_.busy_state(id), keys_.busy_times(id),
                                   keys_.busy_lease(id), keys_.expert_photo(id)};
    co_return co_await remove(keys_.expert(id), id, "expert.deleted", std::move(by), std::move(index_sets),
                              std::move(guards), now, std::move(owned));
}

asio::awaitable<outcome> catalog_store::put_expert_photo(std::string expert_id, std::string content_type,
                                                         std::string bytes, domain::instant now, std::string by)
{
    // The ETag names the bytes, so a browser revalidates a photo cheaply and sees a new one at once.
    // (Built by appending: GCC 12 warns falsely (-Wrestrict) about "\"" + std::string&&.)
    std::string etag;
    etag.reserve(34);
    etag.push_back('"');
    etag.append(util::sha256_hex(bytes), 0, 32);
    etag.push_back('"');
    scripts::expert_photo::input in{std::move(expert_id), std::move(content_type), std::move(bytes),
                                    std::move(etag),      std::move(by),           now,
                                    settings_.change_log_max};
    auto r = co_await runner_.run<scripts::expert_photo>(std::move(in));
    co_return static_cast<const outcome&>(r);
}

asio::awaitable<outcome> catalog_store::delete_expert_photo(std::string expert_id, domain::instant now, std::string by)
{
    scripts::expert_photo::input in{std::move(expert_id), "", "", "", std::move(by), now, settings_.change_log_max};
    auto r = co_await runner_.run<scripts::expert_photo>(std::move(in));
    co_return static_cast<const outcome&>(r);
}

asio::awaitable<result<catalog_store::photo>> catalog_store::expert_photo(std::string expert_id)
{
    std::vector<std::string> ks{keys_.expert_photo(expert_id)};
    auto hashes = co_await reader_.hashes(std::move(ks));
    auto out = result<photo>::failed(hashes);
    if (!hashes.ok()) co_return out;
    const field_map& m = hashes.value.at(0);
    if (m.empty() || get(m, "type").empty()) co_return result<photo>::failed(outcome::refusing(refusal::unknown_record));
    out.value = {get(m, "type"), get(m, "data"), get(m, "etag")};
    co_return out;
}

asio::awaitable<result<std::string>> catalog_store::meta_get(std::string field)
{
    auto r = co_await reader_.field(keys_.meta(), std::move(field), refusal::unknown_record);
    if (r.is(refusal::unknown_record)) co_return result<std::string>{};
    co_return r;
}

asio::awaitable<outcome> catalog_store::meta_set(std::string field, std::string value)
{
    outcome out;
    redis::command_args cmd{"HSET", keys_.meta(), std::move(field), std::move(value)};
    redis::result r = co_await runner_.redis().command(std::move(cmd));
    usable(r, out);
    co_return out;
}

} // namespace sp::store
