#pragma once
/**
 * Local stand-ins for the world outside, on loopback only: an SMTP sink (Debian's
 * python3-aiosmtpd) that stores every message it accepts, and a webhook receiver that
 * stores every POST. Each can be stopped and started again on the same port, to play a
 * mail server that is down for a while.
 */
#include "util/child_process.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sp::test {

class python_sink {
public:
    /** `script` is a file in tests/support (smtp_sink.py, webhook_sink.py). */
    explicit python_sink(std::string script);
    ~python_sink();

    void start();
    void stop();
    std::uint16_t port() const { return port_; }
    /** The contents of every stored file ending in `ext`, oldest first. */
    std::vector<std::string> files(const std::string& ext) const;
    /** The folder the helper stores into (or serves from). */
    const std::string& folder() const { return dir_; }

private:
    std::string script_;
    std::uint16_t port_;
    std::string dir_;
    util::child_process child_;
};

/** An SMTP sink; url() is what mail.smtp_url takes. messages() are whole .eml files,
 *  each starting with an X-Envelope-To line. */
class smtp_sink : public python_sink {
public:
    smtp_sink() : python_sink("smtp_sink.py") { start(); }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port()); }
    std::vector<std::string> messages() const { return files(".eml"); }
};

/** A webhook receiver; bodies() and signatures() in the order received. */
class webhook_sink : public python_sink {
public:
    webhook_sink() : python_sink("webhook_sink.py") { start(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port()) + "/hooks"; }
    std::vector<std::string> bodies() const { return files(".json"); }
    std::vector<std::string> signatures() const { return files(".sig"); }
};

/** A calendar server (feed_server.py): serves files put into its folder, with ETags,
 *  and the misbehaviours under /status/<code>, /slow, /big, /big-chunked, /redirect. */
class feed_server : public python_sink {
public:
    feed_server() : python_sink("feed_server.py") { start(); }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }
    /** Serves `body` at /<name> from now on. */
    void put(const std::string& name, const std::string& body) const;
    /** Serves /<name> no more (e.g. its ".status" file: the server recovers). */
    void remove(const std::string& name) const;
    /** Every request so far, "<path> <If-None-Match or ->", oldest first. */
    std::vector<std::string> requests() const;
};

/** The decoded parts of a MIME message: for each part, its Content-Type line and its
 *  body (base64 decoded). */
struct mime_part {
    std::string content_type;
    std::string body;
};
std::vector<mime_part> mime_parts(const std::string& message);
/** A header's value ("" when absent), unfolded, with RFC 2047 words decoded, e.g.
 *  header_of(msg, "Subject"). */
std::string header_of(const std::string& message, const std::string& name);

} // namespace sp::test
