#pragma once
/**
 * Logging under systemd: when standard error is the journal (JOURNAL_STREAM names it),
 * each line the logger writes starts with its syslog priority (`<3>` error, `<4>`
 * warning, `<6>` info, `<7>` debug), so `journalctl -p warning` finds the server's
 * warnings and the key=value (or JSON) line stays the message. Set once at start-up,
 * before other threads log; read on every line from any thread.
 */
#include <string_view>

namespace sp::log {

void set_journal_priorities(bool on);

/** True when `journal_stream` (the JOURNAL_STREAM variable, "device:inode") names the
 *  file `fd` is: systemd set it for this process's own stderr, not for a parent's. */
bool stream_is_journal(std::string_view journal_stream, int fd);

} // namespace sp::log
