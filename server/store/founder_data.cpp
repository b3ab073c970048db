// The hub_store members for founders' personal data (GDPR): finding everything a
// founder booked, exporting it, erasing it on request, and erasing it after the
// retention period. See hub_store.hpp and redis/scripts/founder_erase.lua.
#include "store/hub_store.hpp"

#include "store/reply_helpers.hpp"
#include "util/secrets.hpp"

#include <algorithm>

namespace asio = boost::asio;

namespace sp::store {
namespace {
constexpr int k_erase_retries = 8;
constexpr std::size_t k_erase_batch = 100;
} // namespace

std::string hub_store::founder_key_for_email(std::string_view normalised_email) const
{
    return keys_.founder(util::sha256_hex(normalised_email));
}

asio::awaitable<result<std::string>> hub_store::founder_of_token(std::string token)
{
    result<std::string> out;
    auto id = co_await booking_id_for(token);
    if (!id.ok()) {
        static_cast<outcome&>(out) = id;
        co_return out;
    }
    redis::command_args cmd{"HGET", keys_.booking(id.value), "founder_key"};
    redis::result r = co_await redis_.command(std::move(cmd));
    if (!usable(r, out)) co_return out;
    if (r->is_nil()) out.refusal = "unknown-token";
    else out.value = r->str;
    co_return out;
}

asio::awaitable<result<std::vector<managed_booking>>> hub_store::founder_bookings(std::string founder_key)
{
    result<std::vector<managed_booking>> out;
    auto ids = co_await members(keys_.founder_all(founder_key));
    if (!ids.ok()) {
        static_cast<outcome&>(out) = ids;
        co_return out;
    }
    std::vector<std::string> ks;
    for (const auto& id : ids.value) ks.push_back(keys_.booking(id));
    auto hashes = co_await read_hashes(std::move(ks));
    if (!hashes.ok()) {
        static_cast<outcome&>(out) = hashes;
        co_return out;
    }
    std::vector<std::string> session_ids;
    for (const auto& m : hashes.value) {
        if (m.empty() || get(m, "founder_key") != founder_key) continue; // erased or not theirs
        managed_booking mb;
        mb.booking = booking_from(m);
        session_ids.push_back(mb.booking.session_id);
        out.value.push_back(std::move(mb));
    }
    auto sessions = co_await sessions_by_id(session_ids);
    if (!sessions.ok()) {
        static_cast<outcome&>(out) = sessions;
        co_return out;
    }
    for (auto& mb : out.value)
        for (const auto& s : sessions.value)
            if (s.id == mb.booking.session_id) mb.session = s;
    std::sort(out.value.begin(), out.value.end(),
              [](const auto& a, const auto& b) { return a.session.start < b.session.start; });
    co_return out;
}

asio::awaitable<result<int>> hub_store::erase_bookings(std::vector<std::string> booking_ids, std::string mode,
                                                       domain::instant cutoff, std::string by, domain::instant now)
{
    result<int> out;
    if (booking_ids.empty()) co_return out;
    std::string reason = "request";
    if (mode == "retention") reason = "retention";
    std::vector<std::string> ks{keys_.changes(), keys_.personal_data()};
    std::vector<std::string> args{epoch(now), std::to_string(settings_.change_log_max), mode, epoch(cutoff), by, reason};
    for (const auto& id : booking_ids) {
        redis::command_args hm{"HMGET", keys_.booking(id), "token_hash", "founder_key", "session_id"};
        redis::result b = co_await redis_.command(std::move(hm));
        if (!usable(b, out)) co_return out;
        std::string founder = str_at(*b, 1);
        if (founder.empty()) founder = keys_.founder("-"); // erased already: the script skips it
        redis::command_args times{"HMGET", keys_.session(str_at(*b, 2)), "start", "end"};
        redis::result t = co_await redis_.command(std::move(times));
        if (!usable(t, out)) co_return out;
        ks.push_back(keys_.booking(id));
        ks.push_back(keys_.token(str_at(*b, 0).empty() ? "-" : str_at(*b, 0)));
        ks.push_back(founder);
        ks.push_back(keys_.founder_all(founder));
        args.push_back(id);
        args.push_back(str_at(*t, 0).empty() ? "0" : str_at(*t, 0));
        args.push_back(str_at(*t, 1).empty() ? "0" : str_at(*t, 1));
    }
    redis::result r = co_await eval("founder_erase", std::move(ks), std::move(args));
    if (!usable(r, out)) co_return out;
    if (str_at(*r, 0) == "err") {
        out.refusal = str_at(*r, 1);
        out.detail = str_at(*r, 2);
    } else {
        out.value = int_at(*r, 1);
    }
    co_return out;
}

asio::awaitable<result<int>> hub_store::erase_founder(std::string founder_key, std::string by, domain::instant now)
{
    result<int> out;
    for (int attempt = 0; attempt < k_erase_retries; ++attempt) {
        auto ids = co_await members(keys_.founder_all(founder_key));
        if (!ids.ok()) {
            static_cast<outcome&>(out) = ids;
            co_return out;
        }
        // In batches, so one script never holds Redis for long; each batch is atomic and
        // erasing twice changes nothing, so a failure half-way is finished by a retry.
        bool retry = false;
        for (std::size_t i = 0; i < ids.value.size() && !retry; i += k_erase_batch) {
            std::vector<std::string> batch(ids.value.begin() + static_cast<std::ptrdiff_t>(i),
                                           ids.value.begin() +
                                               static_cast<std::ptrdiff_t>(std::min(ids.value.size(), i + k_erase_batch)));
            std::string mode = "founder";
            auto r = co_await erase_bookings(std::move(batch), mode, now, by, now);
            if (r.refusal == "active") {
                // A place in a coming session: give it up the normal way first (the
                // seat goes to the waitlist), then erase.
                std::string cancelled_by = "erasure";
                auto c = co_await cancel_booking(r.detail, now, cancelled_by);
                if (c.unavailable) {
                    static_cast<outcome&>(out) = c;
                    co_return out;
                }
                retry = true;
                break;
            }
            if (!r.ok()) co_return r;
            out.value += r.value;
        }
        if (!retry) co_return out;
    }
    out.unavailable = true;
    out.detail = "erasure: too much contention, try again";
    co_return out;
}

asio::awaitable<result<int>> hub_store::erase_expired(domain::instant cutoff, domain::instant now)
{
    result<int> out;
    redis::command_args cmd{"ZRANGEBYSCORE", keys_.personal_data(), "-inf", "(" + epoch(cutoff), "LIMIT", "0",
                            std::to_string(k_erase_batch)};
    redis::result ids = co_await redis_.command(std::move(cmd));
    if (!usable(ids, out)) co_return out;
    std::vector<std::string> batch;
    for (const auto& e : ids->elements) batch.push_back(e.str);
    std::string mode = "retention", by = "retention";
    co_return co_await erase_bookings(std::move(batch), mode, cutoff, by, now);
}

} // namespace sp::store
