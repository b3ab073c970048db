#include "app/health_routes.hpp"

#include "util/json_writer.hpp"

namespace sp::app {

namespace bhttp = http::bhttp;

void add_health_routes(http::router& routes, health_sources src)
{
    routes.add(bhttp::verb::get, "/healthz", [](http::request_context&) -> boost::asio::awaitable<http::response> {
        http::response res = http::make_json(bhttp::status::ok, R"({"status":"alive"})");
        res.set(bhttp::field::cache_control, "no-store");
        co_return res;
    });

    routes.add(bhttp::verb::get, "/readyz", [src](http::request_context&) -> boost::asio::awaitable<http::response> {
        util::json_writer w;
        w.begin_object();
        bool ready = src.guard.ready();
        if (ready) {
            w.key("status").value("ready");
        } else {
            w.key("status").value("unavailable");
            w.key("reason").value(src.guard.not_ready_reason());
        }
        w.end_object();
        http::response res =
            http::make_json(ready ? bhttp::status::ok : bhttp::status::service_unavailable, w.take());
        res.set(bhttp::field::cache_control, "no-store");
        if (!ready) res.set(bhttp::field::retry_after, "1");
        co_return res;
    });

    routes.add(bhttp::verb::get, "/metrics", [src](http::request_context&) -> boost::asio::awaitable<http::response> {
        std::string out;
        auto metric = [&out](std::string_view name, std::string_view type, std::string_view help) {
            out += "# HELP ";
            out += name;
            out += ' ';
            out += help;
            out += "\n# TYPE ";
            out += name;
            out += ' ';
            out += type;
            out += '\n';
        };
        auto sample = [&out](std::string_view name, std::string_view labels, std::uint64_t v) {
            out += name;
            out += labels;
            out += ' ';
            out += std::to_string(v);
            out += '\n';
        };
        // A metric with one sample and no labels.
        auto single = [&](std::string_view name, std::string_view type, std::string_view help, std::uint64_t v) {
            metric(name, type, help);
            sample(name, "", v);
        };
        auto& m = src.http_metrics;
        single("sp_http_connections_open", "gauge", "Open client connections.", src.open_connections());
        single("sp_http_connections_accepted_total", "counter", "Accepted client connections.",
               m.connections_accepted.load());
        single("sp_http_connections_rejected_total", "counter", "Connections refused over http.max_connections.",
               m.connections_rejected.load());
        single("sp_http_bad_requests_total", "counter", "Requests that could not be parsed or broke a limit.",
               m.bad_requests.load());
        metric("sp_http_responses_total", "counter", "Responses by status class.");
        for (unsigned i = 1; i < m.responses_by_class.size(); ++i)
            sample("sp_http_responses_total", "{code=\"" + std::to_string(i) + "xx\"}", m.responses_by_class[i].load());
        auto stats = src.redis.stats();
        single("sp_redis_ready", "gauge", "1 when Redis is connected, scripts loaded and verified.",
               src.guard.ready() ? 1 : 0);
        single("sp_redis_commands_total", "counter", "Commands sent to Redis.", stats.commands);
        single("sp_redis_timeouts_total", "counter", "Redis commands that missed their deadline.", stats.timeouts);
        single("sp_redis_reconnects_total", "counter", "Redis reconnect attempts.", stats.reconnects);
        single("sp_redis_not_replicated_total", "counter",
               "Writes answered 503 not-replicated: on the primary, but WAIT saw too few replicas.",
               src.redis.not_replicated());
        single("sp_redis_script_failures_total", "counter",
               "Lua scripts that failed with an error of their own (a server defect; answered 500 internal).",
               src.redis.script_failures());
        if (src.live) {
            auto& lm = src.live->metrics();
            single("sp_live_sockets", "gauge", "Open WebSocket connections.", src.live->sockets());
            single("sp_live_subscriptions", "gauge", "Views watched over all WebSockets.", src.live->subscriptions());
            single("sp_live_messages_sent_total", "counter", "WebSocket messages sent.", lm.messages_sent.load());
            single("sp_live_bytes_sent_total", "counter", "WebSocket payload bytes sent.", lm.bytes_sent.load());
            single("sp_live_coalesced_total", "counter", "Session updates merged into a newer pending one.",
                   lm.coalesced.load());
            single("sp_live_slow_closes_total", "counter", "WebSockets closed (1013) for not keeping up.",
                   lm.slow_closes.load());
            single("sp_live_changes_published_total", "counter", "Changes fanned out to this instance's sockets.",
                   lm.changes_published.load());
        }
        if (src.tailer) {
            single("sp_live_tailer_lag_ms", "gauge", "Age of the newest change-log entry when this instance read it.",
                   static_cast<std::uint64_t>(std::max<std::int64_t>(0, src.tailer->lag_ms())));
        }
        if (src.opens) {
            single("sp_live_opens_waiting", "gauge", "WebSocket handshakes and subscribes waiting for a turn.",
                   src.opens->waiting());
            single("sp_live_opens_turned_away_total", "counter",
                   "Handshakes (503) and subscribes (unavailable) turned away.", src.opens->turned_away());
        }
        if (src.sender) {
            auto& sm = *src.sender;
            single("sp_outbox_sent_total", "counter", "Mails and webhooks delivered.", sm.sent.load());
            single("sp_outbox_retried_total", "counter", "Deliveries that failed and were put back for later.",
                   sm.retried.load());
            single("sp_outbox_dead_total", "counter", "Messages given up on (moved to the dead letters).",
                   sm.dead.load());
            single("sp_outbox_dropped_total", "counter",
                   "Messages settled unsent: nowhere to send them, or nothing left to say.", sm.dropped.load());
            // Counted by the sender every few seconds (a scrape never waits for Redis);
            // left out until it first has.
            if (auto waiting = sm.waiting.load(); waiting >= 0)
                single("sp_outbox_waiting", "gauge", "Messages in the outbox, due or not (as last counted).",
                       static_cast<std::uint64_t>(waiting));
            if (auto dead = sm.dead_letters.load(); dead >= 0)
                single("sp_outbox_dead_letters", "gauge", "Dead letters kept for admins (as last counted).",
                       static_cast<std::uint64_t>(dead));
        }
        http::response res = http::make_response(bhttp::status::ok, std::move(out), "text/plain; version=0.0.4");
        res.set(bhttp::field::cache_control, "no-store");
        co_return res;
    });
}

} // namespace sp::app
