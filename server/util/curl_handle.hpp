#pragma once
/**
 * libcurl handles as owning pointers, and its process-wide initialisation done once
 * (curl_global_init is not thread-safe; every user calls curl_ready() before its first
 * handle). Used by the mail and webhook delivery and by the calendar feed fetcher.
 */
#include <curl/curl.h>
#include <memory>
#include <mutex>

namespace sp::util {

inline void curl_ready()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct curl_easy_deleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct curl_slist_deleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using curl_easy_ptr = std::unique_ptr<CURL, curl_easy_deleter>;
using curl_slist_ptr = std::unique_ptr<curl_slist, curl_slist_deleter>;

} // namespace sp::util
