#pragma once
/**
 * The server's configuration as plain values, with the defaults it runs with when
 * nothing is configured. config_loader fills it from config/sprechstunde.toml,
 * SPRECHSTUNDE_* environment variables and --section.key=value flags; options.hpp
 * lists every option with its range and documentation. Immutable after start-up.
 */
#include <cstdint>
#include <string>

namespace sp::config {

struct server_config {
    std::int64_t threads = 0; // 0: one io thread per core
};

struct http_config {
    std::string listen = "127.0.0.1";
    std::int64_t port = 8080;
    std::string static_dir = "static";
    std::int64_t max_header_bytes = 8 * 1024;
    std::int64_t max_body_bytes = 64 * 1024;
    std::int64_t max_upload_bytes = 512 * 1024;
    std::int64_t read_timeout_ms = 10'000;
    std::int64_t write_timeout_ms = 10'000;
    std::int64_t idle_timeout_ms = 60'000;
    std::string trusted_proxies; // space-separated IP literals
    std::int64_t max_connections = 10'000;
    std::int64_t shutdown_grace_ms = 5'000;
    std::string management_listen = "127.0.0.1";
    std::int64_t management_port = 0; // 0: no management listener
};

struct redis_config {
    std::string url = "embedded";
    std::string sentinel_user;
    std::string sentinel_password;
    std::string durability = "local";
    std::int64_t wait_replicas = 1;
    std::int64_t wait_timeout_ms = 500;
    std::string prefix = "sp:{hub}:";
    std::int64_t command_timeout_ms = 1'000;
    std::int64_t connect_timeout_ms = 1'000;
    std::int64_t health_interval_ms = 500;
    std::int64_t reconnect_initial_ms = 50;
    std::int64_t reconnect_max_ms = 1'000;
    std::int64_t max_pending = 10'000;
    bool accept_data_loss = false;
    std::string embedded_binary = "redis-server";
    std::string embedded_dir = "var/redis";
};

struct booking_config {
    std::int64_t min_notice_minutes = 120;
    std::int64_t horizon_days = 56;
    std::int64_t max_upcoming_per_founder = 3;
    std::int64_t max_per_expert_per_week = 1;
    bool forbid_overlap = true;
    std::int64_t waitlist_max = 20;
    std::int64_t checkin_open_minutes = 15;
    std::int64_t late_notice_minutes = 24 * 60;
    std::int64_t release_after_minutes = 10;
    bool auto_release = true;
    std::int64_t release_sweep_seconds = 30;
    std::int64_t no_show_limit = 2;
    std::int64_t no_show_window_days = 60;
    std::int64_t walkin_horizon_minutes = 30;
    std::int64_t walkin_claim_minutes = 5;
    std::int64_t walkin_claim_seconds = 0;
    std::int64_t min_walkin_minutes = 10;
    std::int64_t walkin_joins_per_hour = 120;
    std::int64_t walkin_queue_max = 50;
    std::int64_t walkin_keep_hours = 12;
    std::int64_t walkin_sweep_ms = 500;
    std::int64_t extend_minutes = 10;
    std::int64_t idempotency_ttl_hours = 24;
    std::int64_t retention_days = 180;
    std::int64_t retention_sweep_seconds = 3600;
};

struct hub_config {
    std::int64_t expansion_horizon_days = 56;
    std::int64_t expansion_interval_minutes = 60;
    std::int64_t change_log_max_entries = 100'000;
    std::string seed_file = "none";
    std::string public_url = "http://127.0.0.1:8080";
};

struct live_config {
    std::int64_t max_message_bytes = 64 * 1024;
    std::int64_t max_subscriptions = 20;
    std::int64_t max_sockets_per_address = 50;
    std::int64_t max_messages_per_second = 20;
    std::int64_t idle_timeout_ms = 60'000;
    std::int64_t queue_max_bytes = 1024 * 1024;
    std::int64_t slow_consumer_grace_ms = 5'000;
    std::string allowed_origins = "http://127.0.0.1:8080 http://localhost:8080";
    std::int64_t max_concurrent_opens = 64;
    std::int64_t max_waiting_opens = 20'000;
};

struct auth_config {
    std::int64_t session_idle_minutes = 120;
    std::int64_t session_absolute_hours = 12;
    bool secure_cookies = false;
    std::int64_t login_attempts_per_account = 5;
    std::int64_t login_attempts_per_address = 20;
    std::int64_t login_window_seconds = 300;
    std::int64_t token_misses_per_address = 100;
    std::int64_t token_miss_window_seconds = 900;
    std::int64_t invitation_days = 7;
    std::int64_t hash_threads = 1;
};

struct mail_config {
    std::string smtp_url;          // "" = no mail server: messages are logged and dropped
    std::string from = "Sprechstunde <no-reply@sprechstunde.example>";
    std::string username;
    std::string password;
    std::string starttls = "try"; // try | required | off
    std::int64_t timeout_seconds = 30;
    std::int64_t max_attempts = 10;
    std::int64_t retry_base_seconds = 5;
    std::int64_t retry_max_seconds = 3600;
    std::string reminder_minutes = "1440 60";
    std::int64_t poll_ms = 500;
    std::int64_t lease_seconds = 120;
    std::int64_t sender_threads = 2;
};

struct webhook_config {
    std::string url;    // "" = no webhooks
    std::string secret; // HMAC-SHA256 key for the signature header
};

struct calendar_config {
    std::int64_t refresh_minutes = 15;
    std::int64_t max_per_expert = 5;
    std::int64_t max_feed_bytes = 5 * 1024 * 1024;
    std::int64_t fetch_timeout_seconds = 20;
    std::int64_t max_instances = 5000;
    bool allow_private_addresses = false;
};

struct log_config {
    std::string level = "info";
    std::string format = "kv";
    bool access_log = true;
};

struct config {
    server_config server;
    http_config http;
    redis_config redis;
    booking_config booking;
    hub_config hub;
    live_config live;
    auth_config auth;
    mail_config mail;
    webhook_config webhook;
    calendar_config calendar;
    log_config log;
};

} // namespace sp::config
