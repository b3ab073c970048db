#include "notify/outbox_sender.hpp"

#include "calendar/ics.hpp"
#include "log/logger.hpp"
#include "notify/booking_view.hpp"
#include "notify/mime.hpp"
#include "notify/templates.hpp"
#include "util/json_writer.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <algorithm>
#include <functional>
#include <map>
#include <random>

namespace asio = boost::asio;

namespace sp::notify {
namespace {

domain::instant now()
{
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// How soon the sender looks again while a backlog drains (see run()).
constexpr std::chrono::milliseconds k_backlog_poll{5};
// Messages claimed at once when nothing can be sent (they are only settled): a backlog
// of dropped confirmations goes at Redis's speed, not at two per worker per poll.
constexpr std::size_t k_drop_batch = 128;
// How often reminders are swept and the outbox counted for /metrics.
constexpr std::chrono::seconds k_sweep_every{5};

std::chrono::seconds retry_delay(int attempts, std::chrono::seconds base, std::chrono::seconds max)
{
    std::int64_t ceiling = base.count();
    for (int i = 0; i < attempts && ceiling < max.count(); ++i) ceiling *= 2;
    ceiling = std::min(ceiling, max.count());
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uniform_int_distribution<std::int64_t> jitter(std::max<std::int64_t>(1, ceiling / 2), std::max<std::int64_t>(1, ceiling));
    return std::chrono::seconds(jitter(rng));
}

} // namespace

std::optional<std::vector<int>> parse_minutes_list(std::string_view text)
{
    std::vector<int> out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ' ' || text[i] == ',') {
            ++i;
            continue;
        }
        int v = 0;
        std::size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && v < 1'000'000) v = v * 10 + (text[i++] - '0');
        if (i == start || v <= 0 || (i < text.size() && text[i] != ' ' && text[i] != ',')) return std::nullopt;
        out.push_back(v);
    }
    return out;
}

outbox_sender::outbox_sender(store::outbox_store& outbox, store::hub_stores& hub, store::account_store& accounts,
                             const redis::readiness_guard& guard, sender_settings settings)
    : outbox_(outbox),
      hub_(hub),
      accounts_(accounts),
      guard_(guard),
      settings_(std::move(settings)),
      pool_(settings_.threads)
{
}

outbox_sender::~outbox_sender() { join(); }

void outbox_sender::join()
{
    // A delivery cut short here was not settled: its lease runs out and it is sent
    // again by whichever instance runs next.
    abort_deliveries();
    pool_.stop();
    pool_.join();
}

asio::awaitable<void> outbox_sender::run()
{
    auto io = co_await asio::this_coro::executor;
    asio::steady_timer timer(io);
    auto next_sweep = std::chrono::steady_clock::now();
    auto in_flight = std::make_shared<std::atomic<std::size_t>>(0);
    // After a full claim more is probably due (a burst of bookings): look again as soon
    // as a delivery has made room instead of a whole poll later, so a backlog drains at
    // the speed of delivery, not at `room` messages per poll.
    bool backlog = false;
    for (;;) {
        timer.expires_after(backlog ? std::min<std::chrono::milliseconds>(settings_.poll, k_backlog_poll) : settings_.poll);
        co_await timer.async_wait(asio::use_awaitable);
        if (!guard_.ready()) continue;
        if (std::chrono::steady_clock::now() >= next_sweep) {
            next_sweep = std::chrono::steady_clock::now() + k_sweep_every;
            if (auto counts = co_await outbox_.counts(); counts.ok()) {
                metrics_.waiting.store(counts.value.first);
                metrics_.dead_letters.store(counts.value.second);
            }
            for (int minutes : settings_.reminder_minutes) {
                auto r = co_await outbox_.sweep_reminders(minutes, now());
                if (r.unavailable) log::warn("reminder_sweep_failed", {{"reason", r.detail}});
                else if (r.value > 0) log::info("reminders_queued", {{"minutes", minutes}, {"count", r.value}});
            }
        }
        // At most two deliveries per worker in flight: the rest stays in Redis, due. With
        // nowhere to send anything (no mail server, no webhook URL) nothing needs a
        // worker: a larger batch is claimed and dropped right here.
        const bool nothing_to_send = settings_.smtp.url.empty() && settings_.webhook_url.empty();
        std::size_t room = nothing_to_send ? k_drop_batch
                                           : settings_.threads * 2 - std::min(settings_.threads * 2, in_flight->load());
        if (room == 0) continue;
        auto claimed = co_await outbox_.claim(now(), settings_.lease, room);
        backlog = claimed.ok() && claimed.value.size() == room;
        if (!claimed.ok()) continue;
        // Messages with nowhere to go are settled here, all in one step, taking no
        // worker's place: dropped before anything is read or rendered.
        std::vector<store::outbox_message> undeliverable;
        for (auto& m : claimed.value)
            if (!deliverable(m)) undeliverable.push_back(m);
        co_await drop(undeliverable);
        for (auto& m : claimed.value) {
            if (!deliverable(m)) continue;
            in_flight->fetch_add(1);
            asio::co_spawn(io, deliver(std::move(m)), [in_flight](std::exception_ptr e) {
                in_flight->fetch_sub(1);
                if (e) {
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                        log::error("delivery_failed", {{"reason", ex.what()}});
                    }
                }
            });
        }
    }
}

bool outbox_sender::deliverable(const store::outbox_message& m) const
{
    return m.kind == "mail" ? !settings_.smtp.url.empty() : !settings_.webhook_url.empty();
}

asio::awaitable<void> outbox_sender::drop(const std::vector<store::outbox_message>& messages)
{
    if (messages.empty()) co_return;
    auto removed = co_await outbox_.drop_all(messages);
    // Not settled (Redis away): the lease runs out and the next claim takes them again.
    if (!removed.ok()) {
        log::warn("outbox_drop_failed", {{"messages", messages.size()}, {"reason", removed.detail}});
        co_return;
    }
    metrics_.dropped.fetch_add(static_cast<std::uint64_t>(removed.value));
    // One line per batch, not per message: a burst of bookings on a hub without a mail
    // server must not cost a log write each. It says how many of which template.
    std::size_t mail = 0;
    std::map<std::string, std::size_t> templates;
    for (const auto& m : messages) {
        mail += m.kind == "mail";
        ++templates[m.kind + ":" + m.name];
    }
    std::string names;
    for (const auto& [name, count] : templates)
        names += (names.empty() ? "" : ",") + name + "=" + std::to_string(count);
    const char* event = mail > 0 ? "mail_not_configured" : "webhook_not_configured";
    log::info(event, {{"dropped", removed.value}, {"templates", names}});
}

asio::awaitable<void> outbox_sender::deliver(store::outbox_message m)
{
    auto io = co_await asio::this_coro::executor;
    const bool is_mail = m.kind == "mail";

    // What is read from Redis here, on the io thread, is turned into the message on the
    // worker pool (templates, .ics and MIME), together with the blocking send.
    // nullopt: no such template (refused for good).
    std::function<std::optional<std::string>()> make_message;
    std::string recipient;

    if (m.name == "invitation") {
        auto inv = co_await accounts_.invitation(m.extra);
        if (inv.unavailable) {
            delivery_result failed{false, false, "redis: " + inv.detail}; // named: GCC 12 and co_await
            co_await settle(m, failed);
            co_return;
        }
        if (!inv.ok()) { // accepted or expired meanwhile: nothing to send
            metrics_.dropped.fetch_add(1);
            co_await outbox_.done(m);
            co_return;
        }
        message_facts f;
        f.lang = "de";
        f.role = inv.value.second;
        f.invitation_url = settings_.public_url + "/invite/" + m.extra;
        recipient = inv.value.first;
        make_message = [f = std::move(f), from = settings_.from_header, to = recipient,
                        id = m.id]() -> std::optional<std::string> {
            auto r = render("invitation", f);
            mail out{from, to, "", r->subject, r->text, r->html, "m" + id + ".invitation@sprechstunde", "", "",
                     now().time_since_epoch().count()};
            return compose(out);
        };
    } else if (m.name == "expert_conflict") {
        // To the expert: their own calendar turned busy over a booked session (ref: the session).
        auto s = co_await hub_.reader.session(m.ref);
        auto experts = co_await hub_.catalog.experts();
        std::string expert_id = s.ok() ? s.value.expert_id : "";
        auto accounts = co_await accounts_.of_expert(expert_id);
        if (s.unavailable || experts.unavailable || accounts.unavailable) {
            delivery_result failed{false, false, "redis: could not read the session, expert or account"};
            co_await settle(m, failed);
            co_return;
        }
        // Resolved before it went out (calendar changed, session cancelled), or nobody to tell.
        if (!is_mail || !s.ok() || !s.value.busy || s.value.status != "open" || !accounts.ok() ||
            accounts.value.empty()) {
            metrics_.dropped.fetch_add(1);
            co_await outbox_.done(m);
            co_return;
        }
        message_facts f;
        f.lang = "de";
        if (experts.ok())
            for (const auto& e : experts.value)
                if (e.id == expert_id) {
                    f.founder_name = e.name;
                    bool german = std::find(e.languages.begin(), e.languages.end(), "de") != e.languages.end();
                    bool english = std::find(e.languages.begin(), e.languages.end(), "en") != e.languages.end();
                    if (!german && english) f.lang = "en";
                }
        f.what = !s.value.title.empty() ? s.value.title : f.lang == "de" ? "Sprechstunde" : "Office hour";
        f.start = s.value.start;
        f.end = s.value.end;
        f.zone = s.value.zone;
        f.seats_taken = s.value.taken;
        f.dashboard_url = settings_.public_url + "/expert";
        recipient = accounts.value.front().email;
        make_message = [f = std::move(f), from = settings_.from_header, to = recipient, id = m.id,
                        ref = m.ref]() -> std::optional<std::string> {
            auto r = render("expert_conflict", f);
            if (!r) return std::nullopt;
            mail out{from, to, f.founder_name, r->subject, r->text, r->html, "m" + id + "." + ref + "@sprechstunde",
                     "", "", now().time_since_epoch().count()};
            return compose(out);
        };
    } else {
        auto v = co_await load_booking_view(hub_.catalog, hub_.bookings, m.ref);
        if (v.unavailable) {
            delivery_result failed{false, false, "redis: " + v.detail}; // named: GCC 12 and co_await
            co_await settle(m, failed);
            co_return;
        }
        domain::booking b; // a plain copy: no temporary's lifetime to reason about in a coroutine
        if (v.ok()) b = v.value.b.booking;
        bool gone = !v.ok() || b.email.empty(); // deleted or erased: no one to write to
        bool stale_reminder = m.name == "reminder" && (b.status != "confirmed" || v.value.b.session.start <= now());
        if (is_mail && (gone || stale_reminder)) {
            metrics_.dropped.fetch_add(1);
            co_await outbox_.done(m);
            co_return;
        }
        // The store keeps only the manage token's hash, so only the first message (the
        // booking script put the token in it) can carry the manage link; later ones
        // point to "the link in your confirmation" and the booking page.
        bool has_token = m.name == "confirmation" || m.name == "waitlisted";
        std::string manage_url;
        if (has_token && !m.extra.empty()) manage_url = settings_.public_url + "/b/" + m.extra;
        if (is_mail) {
            recipient = b.email;
            make_message = [this, m, view = std::move(v.value), manage_url]() -> std::optional<std::string> {
                const auto& b = view.b.booking;
                const auto& s = view.b.session;
                message_facts f;
                f.lang = b.lang == "en" ? "en" : "de";
                f.founder_name = b.name;
                f.what = booking_title(view, f.lang == "de");
                f.expert_name = view.expert_name;
                f.start = s.start;
                f.end = s.end;
                f.zone = s.zone;
                f.place = view.place;
                if (b.status == "confirmed") f.online_url = s.online_url;
                f.manage_url = manage_url;
                f.booking_page_url = settings_.public_url + "/";
                f.message = b.cancel_message;
                if (m.name == "late") f.late_minutes = std::atoi(m.extra.c_str());
                if (m.name == "reminder") f.lead_minutes = std::atoi(m.extra.c_str());
                auto r = render(m.name, f);
                if (!r) return std::nullopt;
                mail out{settings_.from_header, b.email, b.name, r->subject, r->text, r->html,
                         "m" + m.id + "." + b.id + "@sprechstunde", "", "", now().time_since_epoch().count()};
                if (m.name != "late" && m.name != "waitlisted" && m.name != "released") {
                    auto event = booking_ics_event(view, address_of(settings_.from_header), manage_url, now());
                    bool cancel = event.status == "CANCELLED";
                    out.ics = calendar::make_calendar(cancel ? calendar::ics_method::cancel : calendar::ics_method::request,
                                                      {event});
                    out.ics_method = cancel ? "CANCEL" : "REQUEST";
                }
                return compose(out);
            };
        } else {
            const auto& s = v.value.b.session;
            util::json_writer w;
            w.begin_object().key("id").value(m.id).key("event").value(m.name);
            w.key("occurred_at").value(domain::format_rfc3339(now(), domain::find_zone("UTC")));
            w.key("booking").begin_object().key("id").value(m.ref).key("status").value(v.ok() ? b.status : "erased");
            w.key("session").begin_object().key("id").value(s.id).key("expert_id").value(s.expert_id);
            w.key("camp_id").value(s.camp_id).key("start").value(domain::format_rfc3339(s.start, domain::find_zone(s.zone)));
            w.key("end").value(domain::format_rfc3339(s.end, domain::find_zone(s.zone)));
            w.key("seats").value(s.seats).key("seats_taken").value(s.taken).key("status").value(s.status);
            w.end_object().end_object().end_object();
            make_message = [body = w.take()]() -> std::optional<std::string> { return body; };
        }
    }

    // The rendering and the blocking network call happen on the worker pool, never on an
    // io thread.
    co_await asio::post(pool_, asio::use_awaitable);
    delivery_result r;
    try {
        auto message = make_message();
        if (!message) r = {false, true, "unknown template " + m.name};
        else if (is_mail) r = send_mail(settings_.smtp, recipient, *message);
        else r = post_webhook(settings_.webhook_url, settings_.webhook_secret, *message, m.id, settings_.smtp.timeout);
    } catch (const std::exception& e) {
        r = {false, false, std::string("rendering failed: ") + e.what()};
    }
    co_await asio::post(io, asio::use_awaitable);
    co_await settle(m, r);
}

asio::awaitable<void> outbox_sender::settle(const store::outbox_message& m, const delivery_result& r)
{
    if (r.ok) {
        metrics_.sent.fetch_add(1);
        co_await outbox_.done(m);
        co_return;
    }
    if (r.permanent || m.attempts + 1 >= settings_.max_attempts) {
        metrics_.dead.fetch_add(1);
        log::error("message_dead", {{"message", m.id}, {"kind", m.kind}, {"template", m.name}, {"reason", r.detail}});
        co_await outbox_.dead(m, r.detail, now());
        co_return;
    }
    metrics_.retried.fetch_add(1);
    auto delay = retry_delay(m.attempts, settings_.retry_base, settings_.retry_max);
    log::warn("message_retry", {{"message", m.id}, {"attempt", m.attempts + 1}, {"in_s", delay.count()}, {"reason", r.detail}});
    co_await outbox_.retry(m, now() + delay);
}

} // namespace sp::notify
