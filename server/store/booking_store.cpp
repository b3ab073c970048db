#include "store/booking_store.hpp"

#include "domain/attendance_rules.hpp"
#include "domain/no_show_limit.hpp"
#include "store/scripts/booking_scripts.hpp"
#include "store/token_lookup.hpp"
#include "util/secrets.hpp"

namespace asio = boost::asio;

namespace sp::store {
namespace {

scripts::booking_rules rules_of(const store_settings& s) { return {s.limits, s.waitlist_max, s.change_log_max}; }

} // namespace

asio::awaitable<result<std::string>> booking_store::booking_id_for(std::string token)
{
    co_return co_await text_by_token(runner_.redis(), keys_, &keys::token, std::move(token), refusal::unknown_token);
}

asio::awaitable<result<managed_booking>> booking_store::booking_by_token(std::string token)
{
    auto id = co_await booking_id_for(std::move(token));
    if (!id.ok()) co_return result<managed_booking>::failed(id);
    auto b = co_await booking_by_id(id.value);
    if (b.is(refusal::unknown_booking)) b.refused = refusal::unknown_token;
    co_return b;
}

asio::awaitable<result<managed_booking>> booking_store::booking_by_id(std::string booking_id)
{
    std::vector<std::string> booking_keys{keys_.booking(booking_id)};
    auto hashes = co_await reader_.hashes(std::move(booking_keys));
    if (!hashes.ok()) co_return result<managed_booking>::failed(hashes);
    const field_map& m = hashes.value.at(0);
    if (m.empty()) co_return result<managed_booking>::failed(outcome::refusing(refusal::unknown_booking));
    result<managed_booking> out;
    out.value.booking = booking_from(m);
    auto s = co_await reader_.session(out.value.booking.session_id);
    if (!s.ok()) co_return result<managed_booking>::failed(s);
    out.value.session = std::move(s.value);
    if (out.value.booking.status == "waitlisted") {
        // Read after the booking: a promotion in between shows as position 0 on a waitlisted
        // booking, which the page treats as "next in line"; the live change that follows
        // makes it read again.
        redis::command_args cmd{"LPOS", keys_.session_waitlist(out.value.booking.session_id), booking_id};
        redis::result r = co_await runner_.redis().command(std::move(cmd));
        if (!usable(r, out)) co_return out;
        if (r->type == redis::reply::kind::integer) out.value.booking.waitlist_position = static_cast<int>(r->integer) + 1;
    }
    co_return out;
}

asio::awaitable<result<book_result>> booking_store::book(book_request req, domain::instant now)
{
    std::string token = util::random_token();
    std::string founder_key = keys_.founder(util::sha256_hex(req.email));
    bool keyed = !req.idempotency_key.empty();
    scripts::book::input in{.waitlist = req.waitlist,
                            .booking_id = util::random_id("b"),
                            .session_id = req.session_id,
                            .now = now,
                            .rules = rules_of(settings_),
                            .no_show_limit = settings_.day.no_show_limit,
                            .limited_upcoming = settings_.day.limited_upcoming,
                            .founder_key = founder_key,
                            .token = token,
                            .token_hash = util::sha256_hex(token),
                            .idempotency_hash = keyed ? util::sha256_hex(req.idempotency_key) : "-",
                            .request_hash = keyed ? util::sha256_hex(req.fingerprint) : "",
                            .sealed_token = keyed ? util::seal(req.idempotency_key, token) : "",
                            .idempotency_ttl = settings_.idempotency_ttl,
                            .name = req.name,
                            .email = req.email,
                            .startup = req.startup,
                            .question = req.question,
                            .lang = req.lang,
                            .walkin_mode = "",
                            .walkin_id = "",
                            .walkin_camp = "",
                            .calling_expert = ""};
    auto r = co_await runner_.run<scripts::book>(std::move(in));
    if (!r.ok()) co_return result<book_result>::failed(r);
    result<book_result> out;
    out.value.booking_id = r.value.booking_id;
    if (r.value.replayed) {
        out.value.replayed = true;
        out.value.token = util::unseal(req.idempotency_key, r.value.sealed_token);
        auto current = co_await booking_by_id(out.value.booking_id);
        if (!current.ok()) co_return result<book_result>::failed(current);
        out.value.view = std::move(current.value);
        out.value.status = out.value.view.booking.status;
        out.value.taken = out.value.view.session.taken;
        out.value.waiting = out.value.view.session.waiting;
        out.value.version = out.value.view.session.version;
        co_return out;
    }
    out.value.token = std::move(token);
    out.value.status = r.value.status;
    out.value.taken = r.value.taken;
    out.value.waiting = r.value.waiting;
    out.value.version = r.value.version;
    out.value.view.booking = booking_from(r.value.booking);
    out.value.view.session = session_from(r.value.session, r.value.waiting);
    co_return out;
}

asio::awaitable<result<booking_store::booking_place>> booking_store::place_of(std::string booking_id)
{
    result<booking_place> out;
    redis::command_args hm{"HMGET", keys_.booking(booking_id), "session_id", "founder_key"};
    redis::result b = co_await runner_.redis().command(std::move(hm));
    if (!usable(b, out)) co_return out;
    out.value.session_id = str_at(*b, 0);
    out.value.founder_key = str_at(*b, 1);
    redis::command_args head_cmd{"LINDEX", keys_.session_waitlist(out.value.session_id), "0"};
    redis::result head = co_await runner_.redis().command(std::move(head_cmd));
    if (!usable(head, out)) co_return out;
    if (!head->is_nil()) out.value.waitlist_head = head->str;
    co_return out;
}

asio::awaitable<result<cancel_result>> booking_store::cancel_by_token(std::string token, domain::instant now)
{
    auto id = co_await booking_id_for(std::move(token));
    if (!id.ok()) co_return result<cancel_result>::failed(id);
    std::string by = "founder"; // named: no temporaries inside co_await (GCC 12)
    co_return co_await cancel_booking(id.value, now, std::move(by));
}

asio::awaitable<result<cancel_result>> booking_store::cancel_booking(std::string booking_id, domain::instant now,
                                                                     std::string by)
{
    auto attempt = [&]() -> asio::awaitable<result<cancel_result>> {
        auto place = co_await place_of(booking_id);
        if (!place.ok()) co_return result<cancel_result>::failed(place);
        scripts::cancel::input in{booking_id, place.value.session_id, place.value.founder_key,
                                  place.value.waitlist_head, now, settings_.change_log_max, by};
        auto r = co_await runner_.run<scripts::cancel>(std::move(in));
        auto out = result<cancel_result>::failed(r);
        out.value = {r.value.previous_status, r.value.promoted_booking, r.value.taken, r.value.waiting, r.value.version};
        co_return out;
    };
    co_return co_await runner_.with_retries<cancel_result>("cancel", attempt);
}

asio::awaitable<result<cancel_result>> booking_store::reschedule_by_token(std::string token, std::string new_session_id,
                                                                          domain::instant now)
{
    auto id = co_await booking_id_for(std::move(token));
    if (!id.ok()) co_return result<cancel_result>::failed(id);
    const std::string booking_id = id.value;
    auto attempt = [&]() -> asio::awaitable<result<cancel_result>> {
        auto place = co_await place_of(booking_id);
        if (!place.ok()) co_return result<cancel_result>::failed(place);
        scripts::reschedule::input in{booking_id,          place.value.session_id,    new_session_id,
                                      place.value.founder_key, place.value.waitlist_head, now,
                                      rules_of(settings_)};
        auto r = co_await runner_.run<scripts::reschedule>(std::move(in));
        auto out = result<cancel_result>::failed(r);
        out.value = {"confirmed", r.value.promoted_booking, r.value.new_taken, 0, r.value.version};
        co_return out;
    };
    co_return co_await runner_.with_retries<cancel_result>("reschedule", attempt);
}

asio::awaitable<result<cancel_result>> booking_store::release(release_request req, domain::instant now)
{
    const date::time_zone* zone = domain::find_zone(req.zone);
    if (!zone) zone = domain::find_zone("UTC");
    const domain::instant counts_until = domain::no_show_expiry(now, zone, req.day);
    auto attempt = [&]() -> asio::awaitable<result<cancel_result>> {
        auto place = co_await place_of(req.booking_id);
        if (!place.ok()) co_return result<cancel_result>::failed(place);
        scripts::release::input in{req.booking_id,
                                   req.session_id,
                                   place.value.founder_key,
                                   place.value.waitlist_head,
                                   now,
                                   std::chrono::duration_cast<std::chrono::seconds>(req.day.release_after),
                                   domain::late_seat_grace(req.day),
                                   counts_until,
                                   settings_.change_log_max,
                                   req.by};
        auto r = co_await runner_.run<scripts::release>(std::move(in));
        auto out = result<cancel_result>::failed(r);
        out.value = {"confirmed", r.value.promoted_booking, r.value.taken, r.value.waiting, r.value.version};
        co_return out;
    };
    co_return co_await runner_.with_retries<cancel_result>("release", attempt);
}

asio::awaitable<result<std::string>> booking_store::booking_session(std::string booking_id)
{
    co_return co_await reader_.field(keys_.booking(booking_id), "session_id", refusal::unknown_booking);
}

asio::awaitable<outcome> booking_store::set_attendance(std::string booking_id, std::string session_id,
                                                       std::string status, std::string by, domain::instant now)
{
    auto attempt = [&]() -> asio::awaitable<result<std::string>> {
        // The founder's no-show record is among the script's keys: read whose it is (none
        // after an erasure); the script retries when that changed meanwhile.
        result<std::string> founder;
        redis::command_args hget{"HGET", keys_.booking(booking_id), "founder_key"};
        redis::result f = co_await runner_.redis().command(std::move(hget));
        if (!usable(f, founder)) co_return founder;
        scripts::booking_attendance::input in{booking_id, session_id, status, by, f->is_nil() ? "" : f->str,
                                              now,        settings_.change_log_max};
        auto r = co_await runner_.run<scripts::booking_attendance>(std::move(in));
        co_return result<std::string>::failed(r);
    };
    auto r = co_await runner_.with_retries<std::string>("attendance", attempt);
    co_return static_cast<const outcome&>(r);
}

asio::awaitable<outcome> booking_store::check_in(std::string booking_id, std::string session_id, std::string by,
                                                 domain::instant now)
{
    scripts::checkin::input in{std::move(booking_id), std::move(session_id), std::move(by), now,
                               settings_.checkin_open, settings_.change_log_max};
    auto r = co_await runner_.run<scripts::checkin>(std::move(in));
    co_return static_cast<const outcome&>(r);
}

} // namespace sp::store
