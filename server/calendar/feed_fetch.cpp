#include "calendar/feed_fetch.hpp"

#include "util/curl_handle.hpp"

#include <arpa/inet.h>
#include <array>
#include <cstring>
#include <curl/curl.h>
#include <memory>
#include <mutex>
#include <sys/socket.h>
#include <utility>

namespace sp::calendar {
namespace {


std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

bool public_v4(const unsigned char* a)
{
    auto in = [&](int bits, std::array<unsigned char, 4> net) {
        std::uint32_t x = (std::uint32_t(a[0]) << 24) | (std::uint32_t(a[1]) << 16) | (std::uint32_t(a[2]) << 8) | a[3];
        std::uint32_t n = (std::uint32_t(net[0]) << 24) | (std::uint32_t(net[1]) << 16) | (std::uint32_t(net[2]) << 8) | net[3];
        std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t(0) << (32 - bits);
        return (x & mask) == (n & mask);
    };
    return !(in(8, {0, 0, 0, 0}) ||        // "this network"
             in(8, {10, 0, 0, 0}) ||       // private
             in(10, {100, 64, 0, 0}) ||    // shared address space (CGNAT)
             in(8, {127, 0, 0, 0}) ||      // loopback
             in(16, {169, 254, 0, 0}) ||   // link-local (cloud metadata services live here)
             in(12, {172, 16, 0, 0}) ||    // private
             in(24, {192, 0, 0, 0}) ||     // IETF protocol assignments
             in(24, {192, 0, 2, 0}) ||     // documentation
             in(16, {192, 168, 0, 0}) ||   // private
             in(15, {198, 18, 0, 0}) ||    // benchmarking
             in(24, {198, 51, 100, 0}) ||  // documentation
             in(24, {203, 0, 113, 0}) ||   // documentation
             in(4, {224, 0, 0, 0}) ||      // multicast
             in(4, {240, 0, 0, 0}));       // reserved and broadcast
}

bool public_v6(const unsigned char* a)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (std::memcmp(a, mapped, 12) == 0 || std::memcmp(a, nat64, 12) == 0) return public_v4(a + 12);
    bool zero_prefix = true;
    for (int i = 0; i < 15; ++i) zero_prefix = zero_prefix && a[i] == 0;
    if (zero_prefix && (a[15] == 0 || a[15] == 1)) return false; // :: and ::1
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return false;      // link-local fe80::/10
    if ((a[0] & 0xfe) == 0xfc) return false;                      // unique local fc00::/7
    if (a[0] == 0xff) return false;                               // multicast
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return false; // documentation
    return true;
}

struct transfer {
    const fetch_settings* settings = nullptr;
    std::string body;
    bool too_big = false;
    bool blocked = false; // a connection to a private address was refused
    feed_validators validators;
};

size_t on_body(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<transfer*>(user);
    size_t n = size * count;
    if (t->body.size() + n > t->settings->max_bytes) {
        t->too_big = true;
        return 0; // stops the transfer
    }
    t->body.append(data, n);
    return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user)
{
    auto* t = static_cast<transfer*>(user);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) t->validators = {}; // a new response (after a redirect)
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name = lower(trim(line.substr(0, colon)));
        std::string_view value = trim(line.substr(colon + 1));
        if (value.size() <= 200) {
            if (name == "etag") t->validators.etag = std::string(value);
            else if (name == "last-modified") t->validators.last_modified = std::string(value);
        }
    }
    return size * count;
}

curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address)
{
    auto* t = static_cast<transfer*>(user);
    if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
    if (!t->settings->allow_private_addresses) {
        bool ok = false;
        if (address->family == AF_INET)
            ok = public_v4(reinterpret_cast<const unsigned char*>(
                &reinterpret_cast<const sockaddr_in*>(&address->addr)->sin_addr));
        else if (address->family == AF_INET6)
            ok = public_v6(reinterpret_cast<const sockaddr_in6*>(&address->addr)->sin6_addr.s6_addr);
        if (!ok) {
            t->blocked = true;
            return CURL_SOCKET_BAD;
        }
    }
    return socket(address->family, address->socktype, address->protocol);
}

std::string seconds_text(std::chrono::milliseconds ms)
{
    auto s = (ms.count() + 999) / 1000;
    return std::to_string(s) + (s == 1 ? " second" : " seconds");
}

std::string size_text(std::size_t bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
    if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " bytes";
}

/** An answer that is not the calendar: its kind, and the sentence for the log and API. */
std::pair<feed_problem, std::string> status_problem(long status)
{
    std::string code = std::to_string(status);
    if (status == 401 || status == 403)
        return {feed_problem::access_refused,
                "the calendar server refused access (" + code + "): is the address still the private one?"};
    if (status == 404 || status == 410)
        return {feed_problem::unknown_address,
                "the calendar server does not know this address (" + code + "): it may have been reset"};
    if (status >= 500)
        return {feed_problem::server_error, "the calendar server had a problem (" + code + "); it will be tried again"};
    return {feed_problem::http_status, "the calendar server answered " + code + " instead of the calendar"};
}

} // namespace

std::optional<std::string> feed_url(std::string_view pasted, std::string& problem)
{
    std::string_view url = trim(pasted);
    if (url.size() > 2000) {
        problem = "the address is longer than 2,000 characters";
        return std::nullopt;
    }
    for (unsigned char c : url) {
        if (c <= 0x20 || c == 0x7f) {
            problem = "the address must not contain spaces or control characters";
            return std::nullopt;
        }
    }
    auto scheme_end = url.find("://");
    std::string scheme = scheme_end == std::string_view::npos ? std::string{} : lower(url.substr(0, scheme_end));
    std::string out;
    if (scheme == "http" || scheme == "https") out = scheme;
    else if (scheme == "webcal" || scheme == "webcals") out = "https"; // calendar apps' name for a subscription
    else {
        problem = "the address must start with https://, http:// or webcal://";
        return std::nullopt;
    }
    std::string_view rest = url.substr(scheme_end + 3);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.find('@') != std::string_view::npos) {
        problem = "the address must not contain a user name or password";
        return std::nullopt;
    }
    if (authority.empty() || authority.front() == ':') {
        problem = "the address has no host name";
        return std::nullopt;
    }
    return out + "://" + std::string(rest);
}

std::string masked_feed_url(std::string_view url)
{
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return "…";
    std::string_view rest = url.substr(scheme_end + 3);
    auto path = rest.find_first_of("/?#");
    std::string head(url.substr(0, scheme_end + 3 + (path == std::string_view::npos ? rest.size() : path)));
    if (path == std::string_view::npos) return head;
    std::string_view tail = rest.substr(path);
    return head + "/…" + std::string(tail.size() > 4 ? tail.substr(tail.size() - 4) : std::string_view{});
}

bool public_address(std::string_view ip)
{
    std::string text(ip);
    unsigned char buf[16];
    if (inet_pton(AF_INET, text.c_str(), buf) == 1) return public_v4(buf);
    if (inet_pton(AF_INET6, text.c_str(), buf) == 1) return public_v6(buf);
    return false;
}

fetch_result fetch_feed(const std::string& url, const feed_validators& previous, const fetch_settings& settings)
{
    auto failed = [](fetch_result& out, feed_problem problem, std::string error) {
        out.what = fetch_result::outcome::failed;
        out.problem = problem;
        out.error = std::move(error);
        return std::move(out);
    };
    util::curl_ready();
    fetch_result out;
    util::curl_easy_ptr curl(curl_easy_init());
    if (!curl) {
        return failed(out, feed_problem::fetch_failed, "the calendar could not be fetched (no transfer handle)");
    }
    transfer t;
    t.settings = &settings;
    util::curl_slist_ptr headers;
    auto add_header = [&](const std::string& h) { headers.reset(curl_slist_append(headers.release(), h.c_str())); };
    add_header("Accept: text/calendar, application/calendar+json;q=0.1, */*;q=0.05");
    if (!previous.etag.empty()) add_header("If-None-Match: " + previous.etag);
    if (!previous.last_modified.empty()) add_header("If-Modified-Since: " + previous.last_modified);

    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(settings.timeout.count(), 10000)));
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); // gzip, deflate, brotli: what libcurl can decode
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Sprechstunde calendar import");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings.max_bytes));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &t);

    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.http_status);
    if (t.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        return failed(out, feed_problem::too_large, "the calendar is larger than " + size_text(settings.max_bytes));
    }
    if (t.blocked) {
        return failed(out, feed_problem::private_network,
                      "the address points into a private network, which this hub does not fetch calendars from");
    }
    switch (rc) {
    case CURLE_OK: break;
    case CURLE_OPERATION_TIMEDOUT:
        return failed(out, feed_problem::timeout,
                      "the calendar server did not answer within " + seconds_text(settings.timeout));
    case CURLE_COULDNT_RESOLVE_HOST:
        return failed(out, feed_problem::host_not_found, "the calendar server's name could not be found");
    case CURLE_COULDNT_CONNECT: return failed(out, feed_problem::no_connection, "could not connect to the calendar server");
    case CURLE_TOO_MANY_REDIRECTS:
        return failed(out, feed_problem::too_many_redirects, "the calendar server redirected too many times");
    case CURLE_UNSUPPORTED_PROTOCOL:
        return failed(out, feed_problem::bad_redirect,
                      "the calendar server redirected to an address that is not http or https");
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
        return failed(out, feed_problem::tls,
                      std::string("the secure connection to the calendar server failed (TLS): ") + curl_easy_strerror(rc));
    default:
        return failed(out, feed_problem::fetch_failed,
                      std::string("the calendar could not be fetched: ") + curl_easy_strerror(rc));
    }
    if (out.http_status == 304) {
        out.what = fetch_result::outcome::not_modified;
        return out;
    }
    if (out.http_status < 200 || out.http_status > 299) {
        auto [problem, text] = status_problem(out.http_status);
        return failed(out, problem, std::move(text));
    }
    out.what = fetch_result::outcome::fetched;
    out.body = std::move(t.body);
    out.validators = std::move(t.validators);
    return out;
}

} // namespace sp::calendar
