#include "store/walkin_store.hpp"

#include "store/scripts/booking_scripts.hpp"
#include "store/scripts/walkin_scripts.hpp"
#include "store/token_lookup.hpp"
#include "util/secrets.hpp"

#include <algorithm>
#include <sstream>

namespace asio = boost::asio;

namespace sp::store {
namespace {

domain::instant at(std::int64_t epoch_seconds) { return domain::instant(std::chrono::seconds(epoch_seconds)); }

} // namespace

walkin_entry walkin_from(const field_map& m)
{
    walkin_entry e;
    e.id = get(m, "id");
    e.camp_id = get(m, "camp");
    e.ticket = static_cast<int>(get_int(m, "ticket"));
    e.name = get(m, "name");
    e.email = get(m, "email");
    e.topic = get(m, "topic");
    e.lang = get(m, "lang");
    e.state = get(m, "state");
    e.joined_at = at(get_int(m, "joined_at"));
    e.offer_session = get(m, "offer_session");
    e.offer_until = at(get_int(m, "offer_until"));
    std::istringstream declined(get(m, "declined"));
    for (std::string s; declined >> s;) e.declined.push_back(s);
    e.booking_id = get(m, "booking_id");
    e.booked_session = get(m, "booked_session");
    e.sealed_manage = get(m, "sealed_manage");
    e.token_hash = get(m, "token_hash");
    e.manage_hash = get(m, "manage_hash");
    e.founder_key = get(m, "founder_key");
    return e;
}

asio::awaitable<result<walkin_joined>> walkin_store::join(walkin_join_request req, domain::instant now)
{
    std::string token = util::random_token();
    std::string manage = util::random_token();
    scripts::walkin_join::input in{.entry_id = util::random_id("w"),
                                   .camp_id = req.camp_id,
                                   .now = now,
                                   .name = req.name,
                                   .email = req.email,
                                   .topic = req.topic,
                                   .lang = req.lang,
                                   .token_hash = util::sha256_hex(token),
                                   .founder_key = req.email.empty() ? "" : keys_.founder(util::sha256_hex(req.email)),
                                   .manage_hash = util::sha256_hex(manage),
                                   .sealed_manage = util::seal(token, manage),
                                   .queue_max = settings_.walkin_queue_max,
                                   .change_log_max = settings_.change_log_max};
    std::string id = in.entry_id;
    auto r = co_await runner_.run<scripts::walkin_join>(std::move(in));
    if (!r.ok()) co_return result<walkin_joined>::failed(r);
    co_return walkin_joined{id, token, r.value.ticket, r.value.position};
}

asio::awaitable<result<std::string>> walkin_store::entry_id_for(std::string token)
{
    co_return co_await text_by_token(runner_.redis(), keys_, &keys::walkin_token, std::move(token),
                                     refusal::unknown_walkin);
}

asio::awaitable<result<walkin_entry>> walkin_store::entry_by_id(std::string id)
{
    std::vector<std::string> ks{keys_.walkin(id)};
    auto hashes = co_await reader_.hashes(std::move(ks));
    if (!hashes.ok()) co_return result<walkin_entry>::failed(hashes);
    if (hashes.value.at(0).empty()) co_return result<walkin_entry>::failed(outcome::refusing(refusal::unknown_walkin));
    result<walkin_entry> out{walkin_from(hashes.value.at(0))};
    if (out.value.state == "waiting" || out.value.state == "offered") {
        redis::command_args cmd{"ZRANK", keys_.camp_walkins(out.value.camp_id), id};
        redis::result r = co_await runner_.redis().command(std::move(cmd));
        if (!usable(r, out)) co_return out;
        if (r->type == redis::reply::kind::integer) out.value.position = static_cast<int>(r->integer) + 1;
    }
    co_return out;
}

asio::awaitable<result<walkin_page>> walkin_store::page_by_token(std::string token)
{
    auto id = co_await entry_id_for(std::move(token));
    if (!id.ok()) co_return result<walkin_page>::failed(id);
    auto e = co_await entry_by_id(id.value);
    if (!e.ok()) co_return result<walkin_page>::failed(e);
    result<walkin_page> out;
    out.value.entry = std::move(e.value);
    if (out.value.entry.state == "offered" && !out.value.entry.offer_session.empty()) {
        auto s = co_await reader_.session(out.value.entry.offer_session);
        if (s.ok()) out.value.offered = std::move(s.value);
        else if (!s.is(refusal::unknown_session)) co_return result<walkin_page>::failed(s);
    }
    co_return out;
}

asio::awaitable<outcome> walkin_store::leave(std::string entry_id, std::string by, domain::instant now)
{
    auto attempt = [&]() -> asio::awaitable<result<bool>> {
        auto e = co_await entry_by_id(entry_id);
        if (!e.ok()) co_return result<bool>::failed(e);
        scripts::walkin_leave::input in{entry_id, e.value.camp_id, e.value.offer_session, now, by,
                                        settings_.change_log_max};
        auto r = co_await runner_.run<scripts::walkin_leave>(std::move(in));
        co_return result<bool>::failed(r);
    };
    co_return co_await runner_.with_retries<bool>("walkin_leave", attempt);
}

asio::awaitable<outcome> walkin_store::settle(std::string entry_id, bool expire, domain::instant now)
{
    auto attempt = [&]() -> asio::awaitable<result<bool>> {
        auto e = co_await entry_by_id(entry_id);
        if (!e.ok()) co_return result<bool>::failed(e);
        if (e.value.state != "offered") co_return result<bool>::failed(outcome::refusing(refusal::no_offer));
        scripts::walkin_settle::input in{expire, entry_id, e.value.camp_id, e.value.offer_session, now,
                                         settings_.change_log_max};
        auto r = co_await runner_.run<scripts::walkin_settle>(std::move(in));
        co_return result<bool>::failed(r);
    };
    co_return co_await runner_.with_retries<bool>("walkin_settle", attempt);
}

asio::awaitable<outcome> walkin_store::decline(std::string entry_id, domain::instant now)
{
    co_return co_await settle(std::move(entry_id), false, now);
}

asio::awaitable<result<walkin_booked>> walkin_store::book(std::string mode, walkin_entry e, std::string session_id,
                                                          std::string manage_token, std::string expert_id,
                                                          domain::instant now)
{
    std::string founder_key = e.founder_key.empty() ? keys_.founder(util::sha256_hex("")) : e.founder_key;
    scripts::book::input in{.booking_id = util::random_id("b"),
                            .session_id = session_id,
                            .now = now,
                            .rules = {settings_.limits, settings_.waitlist_max, settings_.change_log_max},
                            .no_show_limit = settings_.day.no_show_limit,
                            .limited_upcoming = settings_.day.limited_upcoming,
                            .founder_key = founder_key,
                            .token = manage_token,
                            .token_hash = e.manage_hash,
                            .idempotency_hash = "-",
                            .request_hash = "",
                            .sealed_token = "",
                            .idempotency_ttl = settings_.idempotency_ttl,
                            .name = e.name,
                            .email = e.email,
                            .startup = "",
                            .question = e.topic,
                            .lang = e.lang,
                            .walkin_mode = mode,
                            .walkin_id = e.id,
                            .walkin_camp = e.camp_id,
                            .calling_expert = expert_id};
    auto r = co_await runner_.run<scripts::book>(std::move(in));
    if (!r.ok()) co_return result<walkin_booked>::failed(r);
    co_return walkin_booked{r.value.booking_id, manage_token, session_id, r.value.version};
}

asio::awaitable<result<walkin_booked>> walkin_store::claim(std::string token, domain::instant now)
{
    auto id = co_await entry_id_for(token);
    if (!id.ok()) co_return result<walkin_booked>::failed(id);
    auto e = co_await entry_by_id(id.value);
    if (!e.ok()) co_return result<walkin_booked>::failed(e);
    std::string manage = util::unseal(token, e.value.sealed_manage);
    // Before the script, only to pick the session: the script decides on what it reads.
    std::string session = e.value.state == "offered" ? e.value.offer_session : "-";
    auto r = co_await book("claim", e.value, session, manage, "", now);
    if (r.ok()) r.value.manage_token = manage;
    co_return r;
}

asio::awaitable<result<walkin_booked>> walkin_store::call_in(std::string session_id, std::string entry_id,
                                                             std::string expert_id, domain::instant now)
{
    auto e = co_await entry_by_id(std::move(entry_id));
    if (!e.ok()) co_return result<walkin_booked>::failed(e);
    // The founder's page holds the manage token; the confirmation mail goes without the link.
    auto r = co_await book("callin", e.value, std::move(session_id), "", std::move(expert_id), now);
    co_return r;
}

asio::awaitable<result<int>> walkin_store::offer(std::string session_id, std::string camp_id, std::string entry_id,
                                                 std::vector<std::string> passed_over, domain::instant now,
                                                 domain::instant until)
{
    scripts::walkin_offer::input in{std::move(session_id), std::move(entry_id), std::move(camp_id), now, until,
                                    std::move(passed_over), settings_.change_log_max};
    auto r = co_await runner_.run<scripts::walkin_offer>(std::move(in));
    if (!r.ok()) co_return result<int>::failed(r);
    co_return r.value.ticket;
}

asio::awaitable<result<int>> walkin_store::expire_due(domain::instant now)
{
    result<int> out;
    redis::command_args cmd{"ZRANGEBYSCORE", keys_.walkin_offers(), "-inf", epoch(now), "LIMIT", "0", "100"};
    redis::result due = co_await runner_.redis().command(std::move(cmd));
    if (!usable(due, out)) co_return out;
    for (const auto& e : due->elements) {
        auto r = co_await settle(e.str, true, now);
        if (r.ok()) ++out.value;
        else if (r.unavailable || r.defect) co_return result<int>::failed(r);
        // A refusal: another instance expired it, or the founder claimed or declined first.
    }
    co_return out;
}

asio::awaitable<result<std::vector<walkin_entry>>> walkin_store::queue(std::string camp_id)
{
    result<std::vector<walkin_entry>> out;
    redis::command_args cmd{"ZRANGE", keys_.camp_walkins(camp_id), "0", "-1"};
    redis::result ids = co_await runner_.redis().command(std::move(cmd));
    if (!usable(ids, out)) co_return out;
    std::vector<std::string> ks;
    for (const auto& e : ids->elements) ks.push_back(keys_.walkin(e.str));
    auto hashes = co_await reader_.hashes(std::move(ks));
    if (!hashes.ok()) co_return result<std::vector<walkin_entry>>::failed(hashes);
    for (const auto& m : hashes.value) {
        if (m.empty()) continue; // erased in between
        out.value.push_back(walkin_from(m));
        out.value.back().position = static_cast<int>(out.value.size());
    }
    co_return out;
}

asio::awaitable<result<domain::walkin_summary>> walkin_store::summary(std::string camp_id)
{
    auto q = co_await queue(std::move(camp_id));
    if (!q.ok()) co_return result<domain::walkin_summary>::failed(q);
    std::vector<domain::walkin_ticket> tickets;
    tickets.reserve(q.value.size());
    for (const auto& e : q.value) tickets.push_back({e.ticket, e.state, e.offer_session, e.offer_until});
    co_return domain::summarize_queue(tickets);
}

asio::awaitable<result<int>> walkin_store::erase(std::vector<std::string> ids, std::string reason, std::string by,
                                                 domain::instant now)
{
    result<int> out;
    // One entry per script call: each change-log entry names its camp (and session).
    for (const auto& id : ids) {
        auto attempt = [&]() -> asio::awaitable<result<int>> {
            std::vector<std::string> ks{keys_.walkin(id)};
            auto hashes = co_await reader_.hashes(std::move(ks));
            if (!hashes.ok()) co_return result<int>::failed(hashes);
            walkin_entry e = walkin_from(hashes.value.at(0));
            scripts::walkin_erase::input in{now, settings_.change_log_max, reason, by,
                                            {{id, e.camp_id, e.token_hash, e.offer_session, e.founder_key}}};
            auto r = co_await runner_.run<scripts::walkin_erase>(std::move(in));
            if (!r.ok()) co_return result<int>::failed(r);
            co_return r.value.erased;
        };
        auto r = co_await runner_.with_retries<int>("walkin_erase", attempt);
        if (!r.ok()) co_return result<int>::failed(r);
        out.value += r.value;
    }
    co_return out;
}

asio::awaitable<result<int>> walkin_store::erase_founder(std::string founder_key, std::string by, domain::instant now)
{
    auto ids = co_await reader_.members(keys_.founder_walkins(founder_key));
    if (!ids.ok()) co_return result<int>::failed(ids);
    std::string reason = "request";
    co_return co_await erase(std::move(ids.value), std::move(reason), std::move(by), now);
}

asio::awaitable<result<int>> walkin_store::erase_expired(domain::instant cutoff, domain::instant now)
{
    result<int> out;
    redis::command_args cmd{"ZRANGEBYSCORE", keys_.walkins(), "-inf", "(" + epoch(cutoff), "LIMIT", "0", "100"};
    redis::result due = co_await runner_.redis().command(std::move(cmd));
    if (!usable(due, out)) co_return out;
    std::vector<std::string> ids;
    for (const auto& e : due->elements) ids.push_back(e.str);
    std::string reason = "retention", by = "retention";
    co_return co_await erase(std::move(ids), std::move(reason), std::move(by), now);
}

} // namespace sp::store
