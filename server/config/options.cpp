#include "config/options.hpp"

#include <array>

namespace sp::config {
namespace {

#define SP_INT(section, name, lo, hi, doc)                                                         \
    option{#section "." #name, option_kind::integer, lo, hi, {}, doc,                              \
           [](config& c) -> std::int64_t& { return c.section.name; }, nullptr, nullptr}
#define SP_STR(section, name, choices, doc)                                                        \
    option{#section "." #name, option_kind::string, 0, 0, choices, doc, nullptr,                   \
           [](config& c) -> std::string& { return c.section.name; }, nullptr}
#define SP_BOOL(section, name, doc)                                                                \
    option{#section "." #name, option_kind::boolean, 0, 0, {}, doc, nullptr, nullptr,              \
           [](config& c) -> bool& { return c.section.name; }}

const std::array k_options{
    SP_INT(server, threads, 0, 256, "io threads; 0 = one per core"),
    SP_STR(http, listen, "", "address to listen on (IPv4 or IPv6 literal)"),
    SP_INT(http, port, 0, 65535, "TCP port; 0 = any free port"),
    SP_STR(http, static_dir, "", "folder served as the web front end"),
    SP_INT(http, max_header_bytes, 1024, 1024 * 1024, "largest request header block (431 above)"),
    SP_INT(http, max_body_bytes, 0, 64 * 1024 * 1024, "largest request body (413 above)"),
    SP_INT(http, max_upload_bytes, 0, 64 * 1024 * 1024, "largest image upload, an expert's photo (413 above)"),
    SP_INT(http, read_timeout_ms, 100, 600'000, "time to receive one whole request"),
    SP_INT(http, write_timeout_ms, 100, 600'000, "time to send one whole response"),
    SP_INT(http, idle_timeout_ms, 100, 3'600'000, "keep-alive: idle time before the next request"),
    SP_STR(http, trusted_proxies, k_any_text,
           "space-separated proxy addresses whose X-Forwarded-For names the client (e.g. 127.0.0.1 behind nginx)"),
    SP_INT(http, max_connections, 1, 1'000'000, "open client connections (503 and close above)"),
    SP_INT(http, shutdown_grace_ms, 0, 600'000, "on SIGTERM: time to finish requests in flight"),
    SP_STR(http, management_listen, "", "address of the management listener (health checks, metrics)"),
    SP_INT(http, management_port, 0, 65535, "port of the management listener on its own thread; 0 = none"),
    SP_STR(redis, url, "",
           "'embedded', redis://[user:password@]host:port/db, unix:///path/to/socket[?db=N] or "
           "redis-sentinel://[user:password@]host:port[,host:port...]/master-name[?db=N]"),
    SP_STR(redis, sentinel_user, k_any_text, "with redis-sentinel://: ACL user towards the sentinels (empty: none)"),
    SP_STR(redis, sentinel_password, k_any_text,
           "with redis-sentinel://: password towards the sentinels (empty: no AUTH)"),
    SP_STR(redis, durability, "local|replicated",
           "when a write counts: 'local' once the primary has it, 'replicated' once WAIT confirms wait_replicas replicas"),
    SP_INT(redis, wait_replicas, 1, 100, "with durability = replicated: replicas that must confirm a write"),
    SP_INT(redis, wait_timeout_ms, 1, 60'000,
           "with durability = replicated: how long WAIT waits for them (503 not-replicated after)"),
    SP_STR(redis, prefix, "", "key prefix of this hub; must contain a {hash tag}"),
    SP_INT(redis, command_timeout_ms, 10, 60'000, "deadline of one Redis command"),
    SP_INT(redis, connect_timeout_ms, 10, 60'000, "deadline of one connect attempt"),
    SP_INT(redis, health_interval_ms, 50, 60'000, "interval of the health PING"),
    SP_INT(redis, reconnect_initial_ms, 1, 60'000, "first reconnect delay (doubles per failure)"),
    SP_INT(redis, reconnect_max_ms, 1, 300'000, "largest reconnect delay"),
    SP_INT(redis, max_pending, 1, 1'000'000, "commands in flight per connection (503 above)"),
    SP_BOOL(redis, accept_data_loss, "start even if Redis persists nothing (no AOF, no RDB)"),
    SP_STR(redis, embedded_binary, "", "redis-server executable for the embedded Redis"),
    SP_STR(redis, embedded_dir, "", "data folder of the embedded Redis (socket, AOF)"),
    SP_INT(booking, min_notice_minutes, 0, 60 * 24 * 30, "a slot must start at least this far ahead to be booked"),
    SP_INT(booking, horizon_days, 1, 366, "slots further ahead cannot be booked yet"),
    SP_INT(booking, max_upcoming_per_founder, 1, 100, "upcoming bookings (and waitlist places) per founder e-mail"),
    SP_INT(booking, max_per_expert_per_week, 1, 50, "bookings per founder with one expert in one ISO week"),
    SP_BOOL(booking, forbid_overlap, "a founder's bookings must not overlap in time"),
    SP_INT(booking, waitlist_max, 0, 1000, "places on one session's waitlist"),
    SP_INT(booking, checkin_open_minutes, 0, 24 * 60, "a founder may check in this many minutes before the start"),
    SP_INT(booking, late_notice_minutes, 0, 7 * 24 * 60,
           "an expert may say they run late for a session from this many minutes before its start"),
    SP_INT(booking, release_after_minutes, 0, 24 * 60,
           "a confirmed founder not checked in this many minutes after the (late-aware) start is a no-show; a camp may set its own"),
    SP_BOOL(booking, auto_release, "release no-shows without the expert's click; a camp may set its own"),
    SP_INT(booking, release_sweep_seconds, 1, 3600, "how often each instance looks for no-shows to release"),
    SP_INT(booking, no_show_limit, 0, 100,
           "no-shows within no_show_window_days after which a founder may hold only one upcoming booking; 0 = no limit"),
    SP_INT(booking, no_show_window_days, 1, 3650, "how long (calendar days in the camp's zone) a no-show counts"),
    SP_INT(booking, walkin_horizon_minutes, 0, 24 * 60,
           "a free slot starting within this many minutes (or running) is offered to the camp's walk-in queue"),
    SP_INT(booking, walkin_claim_minutes, 1, 120, "a walk-in founder has this many minutes to take an offered seat"),
    SP_INT(booking, walkin_claim_seconds, 0, 7200,
           "if above 0: the time to take an offer in seconds, instead of walkin_claim_minutes (tests, demos)"),
    SP_INT(booking, min_walkin_minutes, 1, 24 * 60, "a free slot (or rest of one) shorter than this is not offered to walk-ins"),
    SP_INT(booking, walkin_joins_per_hour, 1, 100'000,
           "walk-in joins per client address per hour (429 above; a camp's founders often share one address)"),
    SP_INT(booking, walkin_queue_max, 1, 10'000, "founders in one camp's walk-in queue (409 queue-full above)"),
    SP_INT(booking, walkin_keep_hours, 1, 24 * 30, "hours after joining until a walk-in entry and its data are erased"),
    SP_INT(booking, walkin_sweep_ms, 50, 60'000, "how often each instance expires walk-in offers and offers free seats"),
    SP_INT(booking, extend_minutes, 1, 240, "how much the expert's \"extend\" adds to a running session"),
    SP_INT(booking, idempotency_ttl_hours, 1, 24 * 7, "how long an Idempotency-Key replays its first answer"),
    SP_INT(booking, retention_days, 0, 3650, "days after a session ends until its founders' personal data is erased"),
    SP_INT(booking, retention_sweep_seconds, 1, 86400, "how often the retention sweep runs"),
    SP_INT(hub, expansion_horizon_days, 1, 366, "office hours are expanded into sessions this far ahead"),
    SP_INT(hub, expansion_interval_minutes, 1, 24 * 60, "how often the rolling horizon is extended"),
    SP_INT(hub, change_log_max_entries, 1000, 100'000'000, "change-stream entries kept (approximately)"),
    SP_STR(hub, seed_file, "", "TOML file of camps, rooms, experts, rules, events applied at start-up; 'none' = off"),
    SP_STR(hub, public_url, "", "base URL founders reach the server at (manage links)"),
    SP_INT(live, max_message_bytes, 256, 16 * 1024 * 1024, "largest WebSocket message from a client (close 1009 above)"),
    SP_INT(live, max_subscriptions, 1, 1000, "views one WebSocket may watch at once"),
    SP_INT(live, max_sockets_per_address, 1, 100'000, "open WebSockets per client address (429 above)"),
    SP_INT(live, max_messages_per_second, 1, 10'000, "client messages per second per WebSocket (close 1008 above)"),
    SP_INT(live, idle_timeout_ms, 1'000, 3'600'000, "a peer silent this long (pings unanswered) is dropped"),
    SP_INT(live, queue_max_bytes, 4096, 1024 * 1024 * 1024, "pending bytes per WebSocket before it counts as slow"),
    SP_INT(live, slow_consumer_grace_ms, 100, 600'000, "how long a WebSocket may stay slow before it is closed (1013)"),
    SP_INT(live, max_concurrent_opens, 1, 100'000, "WebSocket handshakes and subscribes worked on at once; the rest wait"),
    SP_INT(live, max_waiting_opens, 1, 1'000'000, "handshakes and subscribes waiting their turn; more get 503 / unavailable"),
    SP_STR(live, allowed_origins, "", "space-separated Origins allowed to open /ws (same-origin always is)"),
    SP_INT(auth, session_idle_minutes, 1, 60 * 24 * 30, "a sign-in session unused this long ends"),
    SP_INT(auth, session_absolute_hours, 1, 24 * 90, "a sign-in session ends this long after sign-in, used or not"),
    SP_BOOL(auth, secure_cookies, "mark cookies Secure (set when served over HTTPS, e.g. behind a TLS proxy)"),
    SP_INT(auth, login_attempts_per_account, 1, 1000, "sign-in attempts per account e-mail per window (429 above)"),
    SP_INT(auth, login_attempts_per_address, 1, 100'000, "sign-in attempts per client address per window (429 above)"),
    SP_INT(auth, login_window_seconds, 1, 86'400, "the window the sign-in attempt limits refill over"),
    SP_INT(auth, token_misses_per_address, 1, 1'000'000,
           "unknown manage, feed or invitation links per client address per window (429 above)"),
    SP_INT(auth, token_miss_window_seconds, 1, 86'400, "the window unknown-link misses are counted in"),
    SP_INT(auth, invitation_days, 1, 90, "how long an invitation link can be used"),
    SP_INT(auth, hash_threads, 1, 64, "threads that compute Argon2id password hashes (64 MiB each)"),
    SP_STR(mail, smtp_url, k_any_text, "smtp://host:587 or smtps://host:465; empty = no mail (messages are logged and dropped)"),
    SP_STR(mail, from, "", "the From of every message, e.g. Sprechstunde <no-reply@hub.example.org>"),
    SP_STR(mail, username, k_any_text, "SMTP AUTH user (empty: no AUTH)"),
    SP_STR(mail, password, k_any_text, "SMTP AUTH password"),
    SP_STR(mail, starttls, "try|required|off", "STARTTLS on smtp:// URLs"),
    SP_INT(mail, timeout_seconds, 1, 300, "deadline of one SMTP or webhook delivery"),
    SP_INT(mail, max_attempts, 1, 100, "deliveries tried before a message goes to the dead letters"),
    SP_INT(mail, retry_base_seconds, 1, 3600, "first retry delay (doubles per attempt, with jitter)"),
    SP_INT(mail, retry_max_seconds, 1, 86'400, "largest retry delay"),
    SP_STR(mail, reminder_minutes, k_any_text, "space-separated reminder times before a session, in minutes"),
    SP_INT(mail, poll_ms, 50, 60'000, "how often the sender looks for due messages"),
    SP_INT(mail, lease_seconds, 5, 3600, "a message claimed by an instance that dies is retried after this"),
    SP_INT(mail, sender_threads, 1, 32, "threads that talk to the SMTP server and webhook receivers"),
    SP_STR(webhook, url, k_any_text, "https://… receiving signed booking events; empty = none"),
    SP_STR(webhook, secret, k_any_text, "key of the X-Sprechstunde-Signature HMAC-SHA256"),
    SP_INT(calendar, refresh_minutes, 1, 24 * 60, "how often each expert's own calendars are fetched"),
    SP_INT(calendar, max_per_expert, 0, 50, "calendars one expert may connect"),
    SP_INT(calendar, max_feed_bytes, 1024, 100 * 1024 * 1024, "largest calendar feed (decoded); larger ones fail"),
    SP_INT(calendar, fetch_timeout_seconds, 1, 300, "deadline of one calendar fetch"),
    SP_INT(calendar, max_instances, 1, 1'000'000, "busy times one feed may yield inside the booking horizon"),
    SP_BOOL(calendar, allow_private_addresses,
            "fetch calendars from loopback, private and link-local addresses (tests, internal calendar servers)"),
    SP_STR(log, level, "debug|info|warn|error", "least severe level written"),
    SP_STR(log, format, "kv|json", "one key=value line or one JSON object per event"),
    SP_BOOL(log, access_log, "one line per HTTP request"),
};

#undef SP_INT
#undef SP_STR
#undef SP_BOOL

} // namespace

std::span<const option> all_options() { return k_options; }

const option* find_option(std::string_view key)
{
    for (const option& o : k_options)
        if (o.key == key) return &o;
    return nullptr;
}

std::string render_value(const option& o, const config& c)
{
    config& m = const_cast<config&>(c); // accessors are shared with the loader; nothing is written
    switch (o.kind) {
    case option_kind::integer: return std::to_string(o.integer(m));
    case option_kind::boolean: return o.boolean(m) ? "true" : "false";
    case option_kind::string: {
        std::string out = "\"";
        for (char ch : o.string(m)) {
            if (ch == '"' || ch == '\\') out += '\\';
            out += ch;
        }
        return out + "\"";
    }
    }
    return {};
}

} // namespace sp::config
