#include "store/founder_store.hpp"

#include "store/scripts/founder_scripts.hpp"
#include "util/secrets.hpp"

#include <algorithm>

namespace asio = boost::asio;

namespace sp::store {
namespace {
constexpr std::size_t k_erase_batch = 100;
} // namespace

std::string founder_store::founder_key_for_email(std::string_view normalised_email) const
{
    return keys_.founder(util::sha256_hex(normalised_email));
}

asio::awaitable<result<std::string>> founder_store::founder_of_token(std::string token)
{
    auto id = co_await bookings_.booking_id_for(std::move(token));
    if (!id.ok()) co_return id;
    co_return co_await reader_.field(keys_.booking(id.value), "founder_key", refusal::unknown_token);
}

asio::awaitable<result<std::vector<managed_booking>>> founder_store::founder_bookings(std::string founder_key)
{
    using bookings_result = result<std::vector<managed_booking>>;
    auto ids = co_await reader_.members(keys_.founder_all(founder_key));
    if (!ids.ok()) co_return bookings_result::failed(ids);
    std::vector<std::string> ks;
    for (const auto& id : ids.value) ks.push_back(keys_.booking(id));
    auto hashes = co_await reader_.hashes(std::move(ks));
    if (!hashes.ok()) co_return bookings_result::failed(hashes);
    bookings_result out;
    std::vector<std::string> session_ids;
    for (const auto& m : hashes.value) {
        if (m.empty() || get(m, "founder_key") != founder_key) continue; // erased or not theirs
        managed_booking mb;
        mb.booking = booking_from(m);
        session_ids.push_back(mb.booking.session_id);
        out.value.push_back(std::move(mb));
    }
    auto sessions = co_await reader_.sessions_by_id(std::move(session_ids));
    if (!sessions.ok()) co_return bookings_result::failed(sessions);
    for (auto& mb : out.value)
        for (const auto& s : sessions.value)
            if (s.id == mb.booking.session_id) mb.session = s;
    std::sort(out.value.begin(), out.value.end(),
              [](const auto& a, const auto& b) { return a.session.start < b.session.start; });
    co_return out;
}

asio::awaitable<result<int>> founder_store::erase_bookings(std::vector<std::string> booking_ids, std::string mode,
                                                           domain::instant cutoff, std::string by, domain::instant now)
{
    result<int> out;
    if (booking_ids.empty()) co_return out;
    scripts::founder_erase::input in{now, cutoff, settings_.change_log_max, std::move(mode), std::move(by), {}};
    for (const auto& id : booking_ids) {
        redis::command_args hm{"HMGET", keys_.booking(id), "token_hash", "founder_key", "session_id"};
        redis::result b = co_await runner_.redis().command(std::move(hm));
        if (!usable(b, out)) co_return out;
        std::string founder = str_at(*b, 1);
        if (founder.empty()) founder = keys_.founder("-"); // erased already: the script skips it
        redis::command_args times{"HMGET", keys_.session(str_at(*b, 2)), "start", "end"};
        redis::result t = co_await runner_.redis().command(std::move(times));
        if (!usable(t, out)) co_return out;
        in.bookings.push_back({id, str_at(*b, 0).empty() ? "-" : str_at(*b, 0), founder,
                               str_at(*t, 0).empty() ? "0" : str_at(*t, 0), str_at(*t, 1).empty() ? "0" : str_at(*t, 1)});
    }
    auto r = co_await runner_.run<scripts::founder_erase>(std::move(in));
    out = result<int>::failed(r);
    out.value = r.value.erased;
    co_return out;
}

asio::awaitable<result<int>> founder_store::erase_founder(std::string founder_key, std::string by, domain::instant now)
{
    int erased = 0; // over all attempts: a rerun lists only what is left
    auto attempt = [&]() -> asio::awaitable<result<int>> {
        auto ids = co_await reader_.members(keys_.founder_all(founder_key));
        if (!ids.ok()) co_return result<int>::failed(ids);
        // In batches, so one script never holds Redis for long; each batch is atomic and
        // erasing twice changes nothing, so a failure half-way is finished by a retry.
        for (std::size_t i = 0; i < ids.value.size(); i += k_erase_batch) {
            std::vector<std::string> batch(ids.value.begin() + static_cast<std::ptrdiff_t>(i),
                                           ids.value.begin() +
                                               static_cast<std::ptrdiff_t>(std::min(ids.value.size(), i + k_erase_batch)));
            std::string mode = "founder";
            auto r = co_await erase_bookings(std::move(batch), mode, now, by, now);
            if (r.is(refusal::booking_active)) {
                // A place in a coming session: give it up the normal way first (the
                // seat goes to the waitlist), then erase from the start.
                std::string cancelled_by = "erasure";
                auto c = co_await bookings_.cancel_booking(r.detail, now, cancelled_by);
                if (c.unavailable || c.defect) co_return result<int>::failed(c);
                co_return result<int>::failed(outcome::refusing(refusal::retry));
            }
            if (!r.ok()) co_return r;
            erased += r.value;
        }
        co_return result<int>(erased);
    };
    co_return co_await runner_.with_retries<int>("erasure", attempt);
}

asio::awaitable<result<int>> founder_store::erase_expired(domain::instant cutoff, domain::instant now)
{
    result<int> out;
    redis::command_args cmd{"ZRANGEBYSCORE", keys_.personal_data(), "-inf", "(" + epoch(cutoff), "LIMIT", "0",
                            std::to_string(k_erase_batch)};
    redis::result ids = co_await runner_.redis().command(std::move(cmd));
    if (!usable(ids, out)) co_return out;
    std::vector<std::string> batch;
    for (const auto& e : ids->elements) batch.push_back(e.str);
    std::string mode = "retention", by = "retention";
    co_return co_await erase_bookings(std::move(batch), mode, cutoff, by, now);
}

} // namespace sp::store
