#include "http/static_files.hpp"

#include "http/gzip.hpp"
#include "http/mime_types.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace sp::http {
namespace {

// FNV-1a over the content: a strong validator that changes whenever a byte does.
std::string make_etag(const std::string& content)
{
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : content) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "\"%016llx-%zx\"", static_cast<unsigned long long>(h), content.size());
    return buf;
}

} // namespace

static_files::static_files(std::string root, std::size_t max_file_bytes) : max_file_bytes_(max_file_bytes)
{
    std::error_code ec;
    fs::path canonical = fs::canonical(root, ec);
    if (ec || !fs::is_directory(canonical))
        throw std::runtime_error("option http.static_dir: " + root + " is not a readable folder");
    root_ = canonical.string();
}

std::shared_ptr<const static_file> static_files::find(const std::string& relative)
{
    std::string full = root_ + "/" + relative;
    struct stat st{};
    if (::stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    long long mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(relative);
        if (it != cache_.end() && it->second->mtime_ns == mtime_ns && it->second->size == st.st_size)
            return it->second;
    }
    if (static_cast<std::size_t>(st.st_size) > max_file_bytes_) return nullptr;

    // A symlink inside the folder may point anywhere: only serve what resolves inside it.
    std::error_code ec;
    std::string real = fs::canonical(full, ec).string();
    if (ec || real.size() <= root_.size() || real.compare(0, root_.size(), root_) != 0 || real[root_.size()] != '/')
        return nullptr;

    std::ifstream in(real, std::ios::binary);
    if (!in) return nullptr;
    std::ostringstream ss;
    ss << in.rdbuf();
    auto file = std::make_shared<static_file>();
    file->content = ss.str();
    file->etag = make_etag(file->content);
    file->content_type = mime_type_for(relative);
    if (compressible(file->content_type)) {
        auto gz = gzip_compress(file->content);
        if (gz && gz->size() < file->content.size()) {
            file->gzip = std::move(*gz);
            file->gzip_etag = file->etag.substr(0, file->etag.size() - 1) + "-gz\"";
        }
    }
    file->mtime_ns = mtime_ns;
    file->size = st.st_size;

    std::lock_guard lock(mutex_);
    cache_[relative] = file;
    return file;
}

} // namespace sp::http
