#pragma once
/**
 * Delivering one message over the network with libcurl: an e-mail to an SMTP server
 * (STARTTLS and AUTH as configured) or a signed webhook POST. These calls block until
 * the peer answers or the timeout passes, so they run on the sender's worker threads,
 * never on an io thread.
 */
#include <chrono>
#include <string>

namespace sp::notify {

struct delivery_result {
    bool ok = false;
    bool permanent = false; // the peer refused for good (SMTP 5xx, HTTP 4xx): no retry
    std::string detail;
};

struct smtp_settings {
    std::string url;      // smtp://host:port or smtps://host:port
    std::string from;     // envelope sender (a bare address)
    std::string username; // "" = no AUTH
    std::string password;
    std::string starttls = "try"; // try | required | off
    std::chrono::seconds timeout{30};
};

/** Makes every transfer in progress fail at once (shutdown); new ones fail too. */
void abort_deliveries();

delivery_result send_mail(const smtp_settings& s, const std::string& recipient, const std::string& message);

/** The signature header value for `body` sent at `unix_time`:
 *  "t=<unix_time>,v1=<hex HMAC-SHA256(secret, "<unix_time>.<body>")>". */
std::string webhook_signature(const std::string& secret, long long unix_time, const std::string& body);
/** True if `header` is a valid signature of `body` with `secret` (constant time). */
bool webhook_signature_valid(const std::string& secret, const std::string& header, const std::string& body);

delivery_result post_webhook(const std::string& url, const std::string& secret, const std::string& body,
                             const std::string& event_id, std::chrono::seconds timeout);

} // namespace sp::notify
