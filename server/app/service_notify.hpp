#pragma once
/**
 * Tells systemd (a unit with Type=notify) when the server is ready and when it begins to
 * stop, through sd_notify from libsystemd. Outside systemd (no NOTIFY_SOCKET) every
 * call does nothing. Thread-safe (sd_notify opens its own datagram socket per call).
 */
namespace sp::app {

/** READY=1: the listeners accept (readiness for bookings is /readyz's business). */
void notify_ready();
/** STOPPING=1: SIGTERM received, connections are being drained. */
void notify_stopping();

} // namespace sp::app
