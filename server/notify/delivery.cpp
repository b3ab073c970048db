#include "notify/delivery.hpp"

#include "util/curl_handle.hpp"

#include <algorithm>
#include <atomic>
#include <curl/curl.h>
#include <ctime>
#include <memory>
#include <mutex>
#include <sodium.h>

namespace sp::notify {
namespace {

std::atomic<bool> g_aborting{false};

int abort_check(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return g_aborting.load() ? 1 : 0; }

/** Options every transfer shares: no signals, a deadline, and an abort on shutdown. */
void common_options(CURL* c, std::chrono::seconds timeout)
{
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min<long>(10, timeout.count())));
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &abort_check);
}


struct upload {
    const std::string& data;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user)
{
    auto* u = static_cast<upload*>(user);
    std::size_t n = std::min(size * count, u->data.size() - u->offset);
    std::copy_n(u->data.data() + u->offset, n, buffer);
    u->offset += n;
    return n;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

std::string hex_hmac(const std::string& secret, const std::string& text)
{
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES]{};
    // Keys of any length: hashed to the HMAC key size, as HMAC itself does for long keys.
    crypto_hash_sha256(key, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(text.data()), text.size(), key);
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return hex;
}

} // namespace

delivery_result send_mail(const smtp_settings& s, const std::string& recipient, const std::string& message)
{
    util::curl_ready();
    util::curl_easy_ptr curl(curl_easy_init());
    if (!curl) return {false, false, "curl_easy_init failed"};
    util::curl_slist_ptr rcpt(curl_slist_append(nullptr, ("<" + recipient + ">").c_str()));
    upload body{message};
    std::string from = "<" + s.from + ">";
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, s.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &body);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    common_options(c, s.timeout);
    if (s.starttls == "required") curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    else if (s.starttls == "try") curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    if (!s.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, s.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, s.password.c_str());
    }
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (rc == CURLE_OK) return {true, false, "sent"};
    // 5xx from the server is a refusal for good (unknown mailbox, policy); anything else
    // (no connection, timeout, 4xx "try later") is worth another attempt.
    bool permanent = code >= 500 && code < 600;
    return {false, permanent, std::string(curl_easy_strerror(rc)) + " (SMTP " + std::to_string(code) + ")"};
}

void abort_deliveries() { g_aborting = true; }

std::string webhook_signature(const std::string& secret, long long unix_time, const std::string& body)
{
    std::string t = std::to_string(unix_time);
    return "t=" + t + ",v1=" + hex_hmac(secret, t + "." + body);
}

bool webhook_signature_valid(const std::string& secret, const std::string& header, const std::string& body)
{
    auto comma = header.find(",v1=");
    if (header.rfind("t=", 0) != 0 || comma == std::string::npos) return false;
    std::string t = header.substr(2, comma - 2);
    std::string given = header.substr(comma + 4);
    std::string expected = hex_hmac(secret, t + "." + body);
    return given.size() == expected.size() && sodium_memcmp(given.data(), expected.data(), given.size()) == 0;
}

delivery_result post_webhook(const std::string& url, const std::string& secret, const std::string& body,
                             const std::string& event_id, std::chrono::seconds timeout)
{
    util::curl_ready();
    util::curl_easy_ptr curl(curl_easy_init());
    if (!curl) return {false, false, "curl_easy_init failed"};
    std::string signature = "X-Sprechstunde-Signature: " + webhook_signature(secret, std::time(nullptr), body);
    std::string id = "X-Sprechstunde-Event-Id: " + event_id;
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, signature.c_str());
    headers = curl_slist_append(headers, id.c_str());
    util::curl_slist_ptr header_list(headers);
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &discard);
    common_options(c, timeout);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK) return {false, false, curl_easy_strerror(rc)};
    if (code >= 200 && code < 300) return {true, false, "HTTP " + std::to_string(code)};
    bool permanent = code >= 400 && code < 500 && code != 408 && code != 429;
    return {false, permanent, "HTTP " + std::to_string(code)};
}

} // namespace sp::notify
