#include "log/logger.hpp"

#include "log/journal.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <sys/stat.h>
#include <unistd.h>

namespace sp::log {
namespace {

std::atomic<int> g_min_level{static_cast<int>(level::info)};
std::atomic<int> g_format{static_cast<int>(format::kv)};
std::atomic<int> g_fd{2};
std::atomic<bool> g_journal{false};

std::string_view level_name(level l)
{
    switch (l) {
    case level::debug: return "debug";
    case level::info: return "info";
    case level::warn: return "warn";
    case level::error: return "error";
    }
    return "info";
}

void append_timestamp(std::string& out)
{
    using namespace std::chrono;
    auto now = system_clock::now();
    auto secs = time_point_cast<seconds>(now);
    auto ms = duration_cast<milliseconds>(now - secs).count();
    std::time_t t = system_clock::to_time_t(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    out += buf;
}

bool needs_quotes(std::string_view v)
{
    if (v.empty()) return true;
    for (unsigned char c : v)
        if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) return true;
    return false;
}

// Escapes control characters so a hostile value (a request path with CR/LF) can never
// forge a second log line.
void append_escaped(std::string& out, std::string_view v)
{
    for (unsigned char c : v) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
}

/** A value as it is, or in quotes and escaped. */
void append_value(std::string& out, std::string_view v, bool quoted)
{
    if (!quoted) {
        out += v;
        return;
    }
    out += '"';
    append_escaped(out, v);
    out += '"';
}

} // namespace

field::field(std::string_view k, double v) : key(k), quoted_in_json(false)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    value = buf;
}

void configure(level min_level, format fmt, int fd)
{
    g_min_level = static_cast<int>(min_level);
    g_format = static_cast<int>(fmt);
    g_fd = fd;
}

void set_journal_priorities(bool on) { g_journal = on; }

bool stream_is_journal(std::string_view journal_stream, int fd)
{
    struct stat st{};
    if (journal_stream.empty() || ::fstat(fd, &st) != 0) return false;
    std::string expected = std::to_string(static_cast<unsigned long long>(st.st_dev)) + ":" +
                           std::to_string(static_cast<unsigned long long>(st.st_ino));
    return journal_stream == expected;
}

bool enabled(level l) { return static_cast<int>(l) >= g_min_level.load(std::memory_order_relaxed); }

std::string render(format fmt, level l, std::string_view event, std::initializer_list<field> fields)
{
    const bool json = fmt == format::json;
    std::string line;
    line.reserve(128);
    line += json ? "{\"ts\":\"" : "ts=";
    append_timestamp(line);
    line += json ? "\",\"level\":\"" : " level=";
    line += level_name(l);
    line += json ? "\",\"event\":\"" : " event=";
    append_escaped(line, event);
    if (json) line += '"';
    for (const field& f : fields) {
        if (json) {
            line += ",\"";
            append_escaped(line, f.key);
            line += "\":";
        } else {
            line += ' ';
            line += f.key;
            line += '=';
        }
        append_value(line, f.value, json ? f.quoted_in_json : needs_quotes(f.value));
    }
    line += json ? "}\n" : "\n";
    return line;
}

void write(level l, std::string_view event, std::initializer_list<field> fields)
{
    if (!enabled(l)) return;
    std::string line = render(static_cast<format>(g_format.load(std::memory_order_relaxed)), l, event, fields);
    if (g_journal.load(std::memory_order_relaxed)) {
        static constexpr const char* k_priority[] = {"<7>", "<6>", "<4>", "<3>"}; // debug info warning err
        line.insert(0, k_priority[static_cast<int>(l)]);
    }
    const char* p = line.data();
    std::size_t left = line.size();
    int fd = g_fd.load(std::memory_order_relaxed);
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return; // Nowhere left to report a failing log sink.
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

bool parse_level(std::string_view text, level& out)
{
    if (text == "debug") out = level::debug;
    else if (text == "info") out = level::info;
    else if (text == "warn") out = level::warn;
    else if (text == "error") out = level::error;
    else return false;
    return true;
}

bool parse_format(std::string_view text, format& out)
{
    if (text == "kv") out = format::kv;
    else if (text == "json") out = format::json;
    else return false;
    return true;
}

} // namespace sp::log
