#include "app/service_notify.hpp"

#include <systemd/sd-daemon.h>

namespace sp::app {

void notify_ready() { sd_notify(0, "READY=1\nSTATUS=listening"); }

void notify_stopping() { sd_notify(0, "STOPPING=1\nSTATUS=draining connections"); }

} // namespace sp::app
