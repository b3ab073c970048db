#include "support/contract_recorder.hpp"

#include "util/json_writer.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unistd.h>

namespace sp::test {
namespace {

std::mutex mutex;

std::string record_file() { return std::string(SP_SCRATCH_DIR) + "/contract-" + std::to_string(::getpid()) + ".jsonl"; }

bool is_api_target(const std::string& target)
{
    for (const char* prefix : {"/api/", "/feeds/", "/healthz", "/readyz", "/metrics"})
        if (target.rfind(prefix, 0) == 0) return true;
    return false;
}

} // namespace

void record_exchange(const std::string& method, const std::string& target, int status,
                     const std::string& content_type, const std::string& body)
{
    if (status == 0 || !is_api_target(target)) return;
    util::json_writer w;
    w.begin_object().key("method").value(method).key("target").value(target).key("status").value(status);
    // An image is checked by its content type only: its bytes are no text for the JSONL file.
    bool binary = content_type.rfind("image/", 0) == 0 && content_type.rfind("image/svg", 0) != 0;
    w.key("content_type").value(content_type).key("body").value(binary ? std::string() : body).end_object();
    std::lock_guard lock(mutex);
    std::ofstream(record_file(), std::ios::app) << w.take() << '\n';
}

std::string recorded_exchange_problems()
{
    std::string file = record_file();
    if (!std::filesystem::exists(file)) return {};
    std::string cmd = std::string("/usr/bin/python3 ") + SP_SOURCE_DIR + "/tests/support/validate_openapi.py " +
                      SP_OPENAPI_JSON + " " + file + " 2>&1";
    std::string out;
    int status = -1;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[512];
        while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
        status = ::pclose(p);
    }
    std::filesystem::remove(file);
    if (status == 0) return {};
    return out.empty() ? "the OpenAPI validator could not run" : out;
}

} // namespace sp::test
