#include "app/application.hpp"

#include "api/api_context.hpp"
#include "api/admin_api.hpp"
#include "api/calendar_api.hpp"
#include "api/auth_api.hpp"
#include "api/privacy_api.hpp"
#include "api/auth_guard.hpp"
#include "auth/password_hasher.hpp"
#include "domain/zoned_time.hpp"
#include "task/io_lanes.hpp"
#include "task/supervised_task.hpp"
#include "store/account_store.hpp"
#include "api/booking_api.hpp"
#include "api/busy_api.hpp"
#include "api/event_api.hpp"
#include "api/expert_api.hpp"
#include "api/photo_api.hpp"
#include "api/openapi_api.hpp"
#include "api/public_api.hpp"
#include "api/token_guard.hpp"
#include "api/walkin_api.hpp"
#include "live/subscription_reader.hpp"
#include "store/guess_store.hpp"
#include "app/health_routes.hpp"
#include "app/service_notify.hpp"
#include "app/demo_admin.hpp"
#include "app/busy_import.hpp"
#include "app/hub_maintenance.hpp"
#include "app/release_sweep.hpp"
#include "app/walkin_sweep.hpp"
#include "notify/mime.hpp"
#include "notify/outbox_sender.hpp"
#include "store/outbox_store.hpp"
#include "app/seed_file.hpp"
#include "redis/readiness_guard.hpp"
#include "http/http_server.hpp"
#include "live/change_builder.hpp"
#include "live/live_hub.hpp"
#include "live/socket_shards.hpp"
#include "http/origin_policy.hpp"
#include "live/websocket_session.hpp"
#include "store/change_tailer.hpp"
#include "http/static_files.hpp"
#include "http/static_handler.hpp"
#include "log/logger.hpp"
#include "redis/client.hpp"
#include "redis/embedded_redis.hpp"
#include "store/hub_stores.hpp"
#include "util/secrets.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <condition_variable>
#include <map>
#include <csignal>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <variant>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace sp::app {
namespace {

redis::connection_options redis_options(const config::redis_config& rc, const redis::endpoint& where)
{
    redis::connection_options o;
    o.where = where;
    o.command_timeout = std::chrono::milliseconds(rc.command_timeout_ms);
    o.connect_timeout = std::chrono::milliseconds(rc.connect_timeout_ms);
    o.health_interval = std::chrono::milliseconds(rc.health_interval_ms);
    o.reconnect_initial = std::chrono::milliseconds(rc.reconnect_initial_ms);
    o.reconnect_max = std::chrono::milliseconds(rc.reconnect_max_ms);
    o.max_pending = static_cast<std::size_t>(rc.max_pending);
    return o;
}

notify::sender_settings sender_settings(const config::config& cfg, const std::string& public_url)
{
    notify::sender_settings s;
    s.smtp.url = cfg.mail.smtp_url;
    s.smtp.from = notify::address_of(cfg.mail.from);
    s.smtp.username = cfg.mail.username;
    s.smtp.password = cfg.mail.password;
    s.smtp.starttls = cfg.mail.starttls;
    s.smtp.timeout = std::chrono::seconds(cfg.mail.timeout_seconds);
    s.from_header = cfg.mail.from;
    s.webhook_url = cfg.webhook.url;
    s.webhook_secret = cfg.webhook.secret;
    s.public_url = public_url;
    s.max_attempts = static_cast<int>(cfg.mail.max_attempts);
    s.retry_base = std::chrono::seconds(cfg.mail.retry_base_seconds);
    s.retry_max = std::chrono::seconds(std::max(cfg.mail.retry_max_seconds, cfg.mail.retry_base_seconds));
    auto reminders = notify::parse_minutes_list(cfg.mail.reminder_minutes);
    if (!reminders)
        throw std::runtime_error("option mail.reminder_minutes: must be minutes separated by spaces, e.g. \"1440 60\"");
    s.reminder_minutes = *reminders;
    s.poll = std::chrono::milliseconds(cfg.mail.poll_ms);
    s.lease = std::chrono::seconds(cfg.mail.lease_seconds);
    s.threads = static_cast<std::size_t>(cfg.mail.sender_threads);
    return s;
}

store::store_settings store_settings(const config::config& cfg)
{
    store::store_settings s;
    s.prefix = cfg.redis.prefix;
    s.change_log_max = cfg.hub.change_log_max_entries;
    s.idempotency_ttl = std::chrono::hours(cfg.booking.idempotency_ttl_hours);
    s.waitlist_max = static_cast<int>(cfg.booking.waitlist_max);
    s.checkin_open = std::chrono::minutes(cfg.booking.checkin_open_minutes);
    s.day.checkin_open = s.checkin_open;
    s.day.late_notice = std::chrono::minutes(cfg.booking.late_notice_minutes);
    s.day.release_after = std::chrono::minutes(cfg.booking.release_after_minutes);
    s.day.auto_release = cfg.booking.auto_release;
    s.day.no_show_limit = static_cast<int>(cfg.booking.no_show_limit);
    s.day.no_show_window = std::chrono::days(cfg.booking.no_show_window_days);
    s.day.extend_by = std::chrono::minutes(cfg.booking.extend_minutes);
    s.release_sweep_every = std::chrono::seconds(cfg.booking.release_sweep_seconds);
    s.day.walkin_horizon = std::chrono::minutes(cfg.booking.walkin_horizon_minutes);
    s.day.claim = cfg.booking.walkin_claim_seconds > 0 ? std::chrono::seconds(cfg.booking.walkin_claim_seconds)
                                                       : std::chrono::minutes(cfg.booking.walkin_claim_minutes);
    s.day.min_walkin = std::chrono::minutes(cfg.booking.min_walkin_minutes);
    s.walkin_queue_max = static_cast<int>(cfg.booking.walkin_queue_max);
    s.walkin_keep = std::chrono::hours(cfg.booking.walkin_keep_hours);
    s.walkin_sweep_every = std::chrono::milliseconds(cfg.booking.walkin_sweep_ms);
    s.limits.min_notice = std::chrono::minutes(cfg.booking.min_notice_minutes);
    s.limits.horizon = std::chrono::days(cfg.booking.horizon_days);
    s.limits.max_upcoming_per_founder = static_cast<int>(cfg.booking.max_upcoming_per_founder);
    s.limits.max_per_expert_per_week = static_cast<int>(cfg.booking.max_per_expert_per_week);
    s.limits.forbid_overlap = cfg.booking.forbid_overlap;
    s.expansion_horizon = std::chrono::days(cfg.hub.expansion_horizon_days);
    return s;
}

/** Every `every`, one heartbeat for every live socket (one handler per shard). */
asio::awaitable<void> live_heartbeat(const live::socket_shards& shards, const live::live_hub& hub,
                                     std::chrono::milliseconds every)
{
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        timer.expires_after(std::max<std::chrono::milliseconds>(every, std::chrono::milliseconds(10)));
        co_await timer.async_wait(asio::use_awaitable);
        shards.heartbeat(hub);
    }
}

live::live_settings live_settings(const config::config& cfg)
{
    live::live_settings s;
    s.max_message_bytes = static_cast<std::size_t>(cfg.live.max_message_bytes);
    s.max_subscriptions = static_cast<std::size_t>(cfg.live.max_subscriptions);
    s.max_sockets_per_address = static_cast<std::size_t>(cfg.live.max_sockets_per_address);
    s.max_messages_per_second = static_cast<double>(cfg.live.max_messages_per_second);
    s.idle_timeout = std::chrono::milliseconds(cfg.live.idle_timeout_ms);
    s.queue_max_bytes = static_cast<std::size_t>(cfg.live.queue_max_bytes);
    s.slow_consumer_grace = std::chrono::milliseconds(cfg.live.slow_consumer_grace_ms);
    s.allowed_origins = http::split_origins(cfg.live.allowed_origins);
    s.max_concurrent_opens = static_cast<std::size_t>(cfg.live.max_concurrent_opens);
    s.max_waiting_opens = static_cast<std::size_t>(cfg.live.max_waiting_opens);
    return s;
}

api::auth_settings auth_settings(const config::config& cfg)
{
    api::auth_settings s;
    s.session_idle = std::chrono::minutes(cfg.auth.session_idle_minutes);
    s.session_absolute = std::chrono::hours(cfg.auth.session_absolute_hours);
    s.secure_cookies = cfg.auth.secure_cookies;
    s.attempts_per_account = static_cast<int>(cfg.auth.login_attempts_per_account);
    s.attempts_per_address = static_cast<int>(cfg.auth.login_attempts_per_address);
    s.attempt_window = std::chrono::seconds(cfg.auth.login_window_seconds);
    s.invitation_lifetime = std::chrono::days(cfg.auth.invitation_days);
    s.allowed_origins = http::split_origins(cfg.live.allowed_origins);
    return s;
}

http::server_settings http_settings(const config::config& cfg)
{
    http::server_settings s;
    s.max_header_bytes = static_cast<std::size_t>(cfg.http.max_header_bytes);
    s.max_body_bytes = static_cast<std::size_t>(cfg.http.max_body_bytes);
    s.max_upload_bytes = static_cast<std::size_t>(cfg.http.max_upload_bytes);
    s.read_timeout = std::chrono::milliseconds(cfg.http.read_timeout_ms);
    s.write_timeout = std::chrono::milliseconds(cfg.http.write_timeout_ms);
    s.idle_timeout = std::chrono::milliseconds(cfg.http.idle_timeout_ms);
    s.max_connections = static_cast<std::size_t>(cfg.http.max_connections);
    s.access_log = cfg.log.access_log;
    for (auto& p : http::split_origins(cfg.http.trusted_proxies)) s.trusted_proxies.push_back(p);
    return s;
}

} // namespace

int run(const config::config& cfg)
{
    // hiredis writes with write(2): a peer that closed must not kill us with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    util::secrets_init();

    unsigned threads = cfg.server.threads > 0 ? static_cast<unsigned>(cfg.server.threads)
                                              : std::max(1u, std::thread::hardware_concurrency());

    // Declared before the embedded Redis: its supervisor posts to it until it is destroyed.
    // Lane 0 also runs the background tasks, the acceptor and the signal wait.
    task::io_lanes lanes(threads);
    asio::io_context& ioc = lanes.context(0);
    std::optional<redis::embedded_redis> embedded;
    redis::endpoint where;
    if (cfg.redis.url == "embedded") {
        if (cfg.redis.durability == "replicated")
            throw std::runtime_error("option redis.durability: 'replicated' needs a Redis with replicas; "
                                     "the embedded Redis has none (set redis.url)");
        embedded.emplace(cfg.redis.embedded_binary, cfg.redis.embedded_dir);
        embedded->start();
        where.kind = redis::endpoint::transport::unix_socket;
        where.path = embedded->socket_path();
    } else {
        auto parsed = redis::parse_redis_url(cfg.redis.url);
        if (auto* problem = std::get_if<std::string>(&parsed)) throw std::runtime_error("option redis.url: " + *problem);
        where = std::get<redis::endpoint>(parsed);
        where.sentinel_user = cfg.redis.sentinel_user;
        where.sentinel_password = cfg.redis.sentinel_password;
    }
    redis::durability_options durability;
    if (cfg.redis.durability == "replicated") {
        durability.replicas = static_cast<int>(cfg.redis.wait_replicas);
        durability.timeout = std::chrono::milliseconds(cfg.redis.wait_timeout_ms);
    }

    auto join_io = [&] { lanes.stop_and_join(); };

    auto lane_executors = lanes.executors();
    redis::client redis(std::vector<asio::any_io_executor>(lane_executors.begin(), lane_executors.end()),
                        redis_options(cfg.redis, where), durability);
    redis::readiness_guard guard(redis, cfg.redis.prefix, cfg.redis.accept_data_loss);
    store::store_settings settings_for_store = store_settings(cfg);
    settings_for_store.webhooks = !cfg.webhook.url.empty();
    store::hub_stores store(redis, settings_for_store);
    std::string public_url = cfg.hub.public_url;
    while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
    api::api_context api_ctx{store, public_url};
    api_ctx.mail_enabled = !cfg.mail.smtp_url.empty();
    api_ctx.max_upload_bytes = static_cast<std::size_t>(cfg.http.max_upload_bytes);
    // Live: the tailer follows the change log and the hub fans changes out to sockets.
    live::socket_shards shards(lanes.executors());
    live::live_hub hub(api_ctx.now, [&shards](std::size_t shard, std::vector<std::shared_ptr<live::live_socket>> sockets) {
        shards.wake(shard, std::move(sockets));
    });
    store::account_store accounts(store.runner, cfg.hub.change_log_max_entries);
    live::live_service live_service{hub, store, live_settings(cfg), &accounts,
                                    std::chrono::minutes(cfg.auth.session_idle_minutes)};
    store::change_tailer tailer(
        redis, store.key(),
        [&](std::vector<store::log_entry> entries) -> asio::awaitable<void> {
            // A sign-out on any instance closes that account's sockets on every one.
            for (const auto& e : entries)
                if (e.field("type") == "account.signed_out") hub.close_account(e.field("account"));
            auto changes = co_await live::build_changes(store.reader, entries);
            if (changes.ok()) hub.publish(changes.value);
            else hub.resync_all("the server could not read a change; resubscribe");
            // A walk-in change: the camp's new summary, read once per camp and batch (not
            // per socket), to every socket watching walkins:<camp>.
            std::map<std::string, std::string> walkin_camps; // camp -> newest version
            for (const auto& e : entries)
                if (!e.field("walkin").empty() || e.field("type").starts_with("walkin."))
                    if (auto camp = e.field("camp"); !camp.empty()) walkin_camps[std::string(camp)] = e.id;
            for (const auto& [camp, version] : walkin_camps) {
                auto summary = co_await live::read_walkin_summary(store, camp);
                if (!summary.ok()) continue; // a camp deleted meanwhile; an outage shows on the next change
                hub.publish_walkins(camp, version,
                                    std::make_shared<const std::string>(
                                        live::walkins_message(camp, version, summary.value)));
            }
        },
        [&](std::string reason) { hub.resync_all(reason); });
    http::static_files files(cfg.http.static_dir);
    http::server_metrics metrics;
    http::router routes;
    http::http_server server(lanes.contexts(), http_settings(cfg), routes, metrics);
    store::outbox_store outbox(store.runner);
    notify::outbox_sender sender(outbox, store, accounts, guard, sender_settings(cfg, public_url));
    health_sources health{guard,  redis,    metrics, [&server] { return server.open_sessions(); },
                          &hub,   &tailer,  live_service.gate.get(), &sender.metrics()};
    add_health_routes(routes, health);
    // The management listener: the same health routes on a thread of their own.
    asio::io_context management_ioc(1);
    http::router management_routes;
    http::server_metrics management_metrics;
    std::optional<http::http_server> management;
    std::thread management_thread;
    if (cfg.http.management_port > 0) {
        add_health_routes(management_routes, health);
        management.emplace(management_ioc, http_settings(cfg), management_routes, management_metrics);
    }
    api::add_public_routes(routes, api_ctx);
    api::add_booking_routes(routes, api_ctx);
    api::add_event_routes(routes, api_ctx);
    auth::password_hasher hasher(static_cast<std::size_t>(cfg.auth.hash_threads));
    api::auth_guard guard_http(accounts, auth_settings(cfg));
    api::add_outbox_routes(routes, guard_http, outbox);
    store::feed_store feeds(store.runner);
    api::add_calendar_routes(routes, api_ctx, guard_http, feeds, notify::address_of(cfg.mail.from));
    api::add_privacy_routes(routes, api_ctx, guard_http, feeds);
    store::busy_store busy(store.runner, store.settings.change_log_max);
    busy_import importer(store, busy, guard,
                         {std::chrono::minutes(cfg.calendar.refresh_minutes),
                          std::chrono::seconds(cfg.calendar.fetch_timeout_seconds),
                          static_cast<std::size_t>(cfg.calendar.max_feed_bytes),
                          static_cast<std::size_t>(cfg.calendar.max_instances), cfg.calendar.allow_private_addresses});
    api::add_busy_routes(routes, api_ctx, guard_http, busy, api::busy_limits{cfg.calendar.max_per_expert},
                         [&importer](std::string expert_id) { return importer.import_now(std::move(expert_id)); });
    api::add_auth_routes(routes, api_ctx, guard_http, hasher);
    api::add_expert_routes(routes, api_ctx, guard_http);
    api::add_expert_live_routes(routes, api_ctx, guard_http);
    api::add_admin_routes(routes, api_ctx, guard_http);
    api::add_photo_routes(routes, api_ctx, guard_http);
    api::add_walkin_routes(routes, api_ctx, guard_http,
                           api::walkin_limits{static_cast<int>(cfg.booking.walkin_joins_per_hour)});
    api::add_openapi_route(routes);
    // The document is the contract: a route it lacks, or one it names that nobody
    // serves, is a programming error that must not reach a hub.
    if (auto mismatches = api::route_table_mismatches(routes); !mismatches.empty()) {
        std::string all;
        for (const auto& m : mismatches) all += "\n  " + m;
        throw std::logic_error("schema/http/routes.json and the router differ:" + all);
    }
    // Every route that looks a secret link up counts an address's misses (404s).
    store::guess_store guesses(store.runner);
    api::token_guard token_guard(guesses, {static_cast<int>(cfg.auth.token_misses_per_address),
                                           std::chrono::seconds(cfg.auth.token_miss_window_seconds)});
    for (std::string_view prefix : {"/api/v1/manage/{token}", "/feeds/{file}", "/api/v1/auth/invitations/{token}",
                                    "/api/v1/walkins/{token}"})
        if (routes.wrap(prefix, [&token_guard](http::handler h) { return token_guard.wrap(std::move(h)); }) == 0)
            throw std::logic_error("no route to guard under " + std::string(prefix));
    routes.set_fallback(http::make_static_handler(files, {{"/b/", "manage.html"},
                                                          {"/invite/", "invite.html"},
                                                          {"/lobby/", "lobby.html"},
                                                          {"/walkin/", "walkin.html"}, // a camp's walk-in queue
                                                          {"/experts/", "profile.html"}, // an expert's public page
                                                          {"/events/", "event.html"},    // an event's public page
                                                          {"/rooms/", "room.html", {"qr"}}, // a room's check-in page, and /qr its QR code
                                                          {"/expert", "expert.html"},
                                                          {"/admin", "admin.html"}}));

    server.set_upgrade(http::upgrade_route{
        "/ws",
        [&live_service](const http::request& req) -> std::optional<http::response> {
            auto origin = req.find(http::bhttp::field::origin);
            auto host = req.find(http::bhttp::field::host);
            if (!http::origin_allowed(origin == req.end() ? "" : std::string_view(origin->value()),
                                      host == req.end() ? "" : std::string_view(host->value()),
                                      live_service.settings.allowed_origins))
                return http::make_problem(http::bhttp::status::forbidden, "origin-not-allowed",
                                          "this page's origin may not open live connections");
            return std::nullopt;
        },
        [&live_service, &shards](asio::ip::tcp::socket socket, http::request req, std::string peer) {
            // From the HTTP connection's own strand to its lane's shard, shared with the
            // lane's other sockets: the socket stays on the thread it was accepted for.
            std::size_t shard = task::current_lane() < shards.size() ? task::current_lane() : 0;
            std::make_shared<live::websocket_session>(std::move(socket), shards.strand(shard), live_service,
                                                      std::move(peer), shard)
                ->start(std::move(req));
        }});

    // The tz database is read once, on first use, by date/tz. Read it here, before the
    // io threads exist, so its first use is not two threads at once (ThreadSanitizer
    // cannot see date/tz's own synchronisation, and a first snapshot on each of two
    // threads was reported as a race on it).
    domain::find_zone("UTC");
    lanes.run();
    redis.start();
    if (embedded) embedded->watch(ioc.get_executor());

    // Start-up refuses a Redis it must not use. A configured Redis that is not reachable
    // yet is not fatal: /readyz says so, and the guard checks it once it answers.
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!redis.ready() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    bool verified = false;
    if (redis.ready()) {
        std::string problem = asio::co_spawn(ioc, guard.verify(), asio::use_future).get();
        verified = problem.empty();
        if (!problem.empty()) {
            redis.stop();
            join_io();
            throw std::runtime_error(problem);
        }
    } else if (embedded) {
        join_io();
        throw std::runtime_error("the embedded Redis does not answer: " + redis.not_ready_reason());
    } else {
        log::warn("redis_unreachable_at_start", {{"reason", redis.not_ready_reason()}});
    }
    task::spawn_supervised(ioc.get_executor(), task::supervision("redis_readiness"),
                           [&guard] { return guard.watch(); });
    hub_maintenance maintenance(store, guard, cfg.hub.seed_file,
                                std::chrono::minutes(cfg.hub.expansion_interval_minutes),
                                {std::chrono::days(cfg.booking.retention_days),
                                 std::chrono::seconds(cfg.booking.retention_sweep_seconds)});
    if (verified) {
        // The seed (the demo hub of tools/run) is in place before the first request.
        std::string problem = asio::co_spawn(ioc, maintenance.apply_seed_once(), asio::use_future).get();
        if (!problem.empty()) {
            redis.stop();
            join_io();
            throw std::runtime_error(problem);
        }
        if (cfg.hub.seed_file != "none") {
            std::string email = read_seed_file(cfg.hub.seed_file, api_ctx.now()).demo_admin_email;
            if (!email.empty()) {
                std::string admin_problem =
                    asio::co_spawn(ioc, ensure_demo_admin(accounts, hasher, email, public_url), asio::use_future).get();
                if (!admin_problem.empty()) log::warn("demo_admin_failed", {{"reason", admin_problem}});
            }
        }
    }
    task::spawn_supervised(ioc.get_executor(), task::supervision("hub_maintenance"),
                           [&maintenance] { return maintenance.run(); });
    task::spawn_supervised(ioc.get_executor(), task::supervision("calendar_import"),
                           [&importer] { return importer.run(); });
    release_sweep releases(store, guard, store.settings.release_sweep_every);
    task::spawn_supervised(ioc.get_executor(), task::supervision("release_sweep"),
                           [&releases] { return releases.run(); });
    walkin_sweep walkins(store, guard, store.settings.walkin_sweep_every);
    task::spawn_supervised(ioc.get_executor(), task::supervision("walkin_sweep"),
                           [&walkins] { return walkins.run(); });
    if (verified) {
        std::string problem = asio::co_spawn(ioc, tailer.prime(), asio::use_future).get();
        if (!problem.empty()) log::warn("tailer_prime_failed", {{"reason", problem}});
    }
    // A tailer that failed lost the batch it was handing on: the sockets resubscribe.
    task::supervision tailing("change_tailer");
    tailing.before_restart = [&hub] { hub.resync_all("the server missed changes; resubscribe"); };
    task::spawn_supervised(ioc.get_executor(), std::move(tailing), [&tailer] { return tailer.run(); });
    task::spawn_supervised(ioc.get_executor(), task::supervision("outbox_sender"),
                           [&sender] { return sender.run(); });
    // The live sockets' heartbeat: one sweep every half idle timeout, one handler per
    // shard, instead of a timer per socket (see websocket_session.hpp).
    task::spawn_supervised(ioc.get_executor(), task::supervision("live_heartbeat"),
                           [&shards, &hub, every = live_service.settings.idle_timeout / 2] {
                               return live_heartbeat(shards, hub, every);
                           });

    // A port in use or a bad address: stop cleanly (the io threads run) and say which option.
    asio::ip::tcp::endpoint bound, management_at;
    std::string listen_problem;
    try {
        bound = server.listen(cfg.http.listen, static_cast<std::uint16_t>(cfg.http.port));
    } catch (const std::exception& e) {
        listen_problem = e.what();
    }
    if (management && listen_problem.empty()) {
        try {
            management_at =
                management->listen(cfg.http.management_listen, static_cast<std::uint16_t>(cfg.http.management_port));
        } catch (const std::exception& e) {
            listen_problem = "option http.management_port / http.management_listen (" +
                             cfg.http.management_listen + ":" + std::to_string(cfg.http.management_port) +
                             "): " + e.what();
        }
    }
    if (!listen_problem.empty()) {
        redis.stop();
        join_io();
        throw std::runtime_error(listen_problem);
    }
    server.start();
    if (management) {
        auto at = management_at;
        management->start();
        management_thread = std::thread([&management_ioc] { management_ioc.run(); });
        log::info("management_listening", {{"address", at.address().to_string()}, {"port", at.port()}});
    }
    log::info("listening", {{"address", bound.address().to_string()},
                            {"port", bound.port()},
                            {"threads", threads},
                            {"redis", embedded ? "embedded " + where.describe() : where.describe()}});
    notify_ready();

    // Wait for SIGTERM or SIGINT.
    std::mutex m;
    std::condition_variable cv;
    int stop_signal = 0;
    asio::signal_set signals(ioc, SIGTERM, SIGINT);
    signals.async_wait([&](boost::system::error_code ec, int sig) {
        std::lock_guard lock(m);
        stop_signal = ec ? -1 : sig;
        cv.notify_all();
    });
    {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return stop_signal != 0; });
    }

    log::info("shutdown_started", {{"signal", stop_signal}, {"open_connections", server.open_sessions()}});
    notify_stopping();
    if (management) {
        management->stop_accepting();
        management->shutdown_sessions();
        management_ioc.stop();
        management_thread.join();
    }
    server.stop_accepting();
    server.shutdown_sessions();
    hub.close_all();
    tailer.stop();
    // Each part is awaited in turn (HTTP sessions drained, sockets closed with 1001), all
    // within the one grace; then Redis stops on its strands before the io threads end.
    auto grace_end = std::chrono::steady_clock::now() + std::chrono::milliseconds(cfg.http.shutdown_grace_ms);
    server.wait_until_closed(grace_end);
    hub.wait_until_empty(grace_end);
    std::size_t abandoned = server.open_sessions() + hub.sockets();
    if (!redis.stop_and_wait(2s)) log::warn("redis_stop_slow", {{"waited_ms", 2000}});
    join_io();
    sender.join();
    // A connection still open after the grace is held only by its pending handlers (a
    // read, a close handshake the peer never answers). Destroy them now, while the hub,
    // the stores and the server they refer to still exist; left to the io_context's own
    // destructor they would run after those are gone.
    lanes.destroy_pending_handlers();
    if (embedded) embedded->stop();
    log::info("shutdown_complete", {{"abandoned_connections", abandoned}});
    return 0;
}

} // namespace sp::app
