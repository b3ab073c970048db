#pragma once
/**
 * The operational endpoints: GET /healthz (the process answers), GET /readyz (Redis
 * reachable, scripts loaded, Redis verified: 200, else 503 with the reason), and
 * GET /metrics (Prometheus text format: HTTP, Redis, live sockets, the outbox).
 */
#include "redis/readiness_guard.hpp"
#include "http/router.hpp"
#include "http/server_metrics.hpp"
#include "live/live_hub.hpp"
#include "live/admission_gate.hpp"
#include "notify/outbox_sender.hpp"
#include "store/change_tailer.hpp"

#include <functional>

namespace sp::app {

struct health_sources {
    const redis::readiness_guard& guard;
    const redis::client& redis;
    http::server_metrics& http_metrics;
    std::function<std::size_t()> open_connections;
    live::live_hub* live = nullptr;
    const store::change_tailer* tailer = nullptr;
    const live::admission_gate* opens = nullptr;
    /** What the outbox sender settled, and the outbox as it last counted it. */
    const notify::sender_metrics* sender = nullptr;
};

void add_health_routes(http::router& routes, health_sources sources);

} // namespace sp::app
