#pragma once
/**
 * The static folder as a cache of files in memory, checked against the file system
 * (size and mtime) on every lookup, so edits show up without a restart and a reload
 * costs one stat(). Every file carries a strong ETag derived from its content; text
 * files also keep a gzip copy (made once, when read) with its own ETag, so a cache
 * never takes one encoding for the other.
 * Symlinks that lead out of the folder are refused. Thread-safe.
 */
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sp::http {

struct static_file {
    std::string content;
    std::string etag; // quoted, e.g. "\"1f3a…\""
    std::string_view content_type;
    std::string gzip;      // empty: not compressible, or not smaller
    std::string gzip_etag; // the ETag of the gzip body
    long long mtime_ns = 0;
    long long size = 0;
};

class static_files {
public:
    /** `root` must exist; throws std::runtime_error naming http.static_dir otherwise. */
    explicit static_files(std::string root, std::size_t max_file_bytes = 16 * 1024 * 1024);

    /** The file at `relative` (already resolved by resolve_static_path), or null. */
    std::shared_ptr<const static_file> find(const std::string& relative);

    const std::string& root() const { return root_; }

private:
    std::string root_; // canonical
    std::size_t max_file_bytes_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const static_file>> cache_;
};

} // namespace sp::http
