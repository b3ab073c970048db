#include "redis/aof_tail.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace sp::redis {
namespace {

enum class step { ok, end, bad };

/** Reads RESP the way Redis's AOF loader does, counting bytes. */
class resp_reader {
public:
    explicit resp_reader(std::istream& in) : in_(in) {}

    std::uint64_t pos() const { return pos_; }
    bool at_end() { return in_.peek() == std::char_traits<char>::eof(); }
    int peek() { return in_.peek(); }

    /** A line ending in CRLF, without it. Redis reads these lines into a 128-byte buffer. */
    step line(std::string& out)
    {
        out.clear();
        for (;;) {
            int c = in_.get();
            if (c == std::char_traits<char>::eof()) return step::end;
            ++pos_;
            if (c == '\n') {
                if (out.empty() || out.back() != '\r') return step::bad;
                out.pop_back();
                return step::ok;
            }
            if (out.size() >= 128) return step::bad;
            out.push_back(static_cast<char>(c));
        }
    }

    /** `*<n>` or `$<n>`: n >= min. */
    step number(char prefix, long long min, long long& n)
    {
        std::string text;
        if (step s = line(text); s != step::ok) return s;
        if (text.size() < 2 || text[0] != prefix) return step::bad;
        auto [end, ec] = std::from_chars(text.data() + 1, text.data() + text.size(), n);
        if (ec != std::errc{} || end != text.data() + text.size() || n < min) return step::bad;
        return step::ok;
    }

    /** A bulk string's body and CRLF; keeps up to `keep_max` leading bytes in `head`. */
    step body(long long length, std::string& head, std::size_t keep_max)
    {
        auto n = static_cast<std::uint64_t>(length);
        head.assign(static_cast<std::size_t>(std::min<std::uint64_t>(n, keep_max)), '\0');
        in_.read(head.data(), static_cast<std::streamsize>(head.size()));
        auto got = static_cast<std::uint64_t>(in_.gcount());
        pos_ += got;
        if (got < head.size()) return step::end;
        if (n > head.size()) {
            in_.ignore(static_cast<std::streamsize>(n - head.size()));
            got = static_cast<std::uint64_t>(in_.gcount());
            pos_ += got;
            if (got < n - head.size()) return step::end;
        }
        for (char expected : {'\r', '\n'}) {
            int c = in_.get();
            if (c == std::char_traits<char>::eof()) return step::end;
            ++pos_;
            if (c != expected) return step::bad;
        }
        return step::ok;
    }

private:
    std::istream& in_;
    std::uint64_t pos_ = 0;
};

bool names(const std::string& word, std::string_view command)
{
    if (word.size() != command.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(word[i])) != command[i]) return false;
    return true;
}

/** One command; its name (up to 8 bytes) in `name`. */
step read_command(resp_reader& r, std::string& name)
{
    long long argc = 0;
    if (step s = r.number('*', 1, argc); s != step::ok) return s;
    std::string head;
    for (long long i = 0; i < argc; ++i) {
        long long length = 0;
        if (step s = r.number('$', 0, length); s != step::ok) return s;
        if (step s = r.body(length, head, i == 0 ? 8 : 0); s != step::ok) return s;
        if (i == 0) name = head;
    }
    return step::ok;
}

aof_scan malformed(std::uint64_t at, std::string problem)
{
    aof_scan s;
    s.end = aof_scan::ending::malformed;
    s.keep = at;
    s.problem = std::move(problem);
    return s;
}

/** The last incremental file the manifest lists, or empty. */
std::string last_incremental(const fs::path& manifest)
{
    std::ifstream in(manifest);
    if (!in) throw std::runtime_error("cannot read " + manifest.string() + ": " + std::strerror(errno));
    std::string line, last;
    while (std::getline(in, line)) {
        // "file appendonly.aof.3.incr.aof seq 3 type i"; our file names need no quoting.
        std::istringstream words(line);
        std::string key, value, name, type;
        while (words >> key >> value) {
            if (key == "file") name = value;
            if (key == "type") type = value;
        }
        if (type == "i" && !name.empty()) last = name;
    }
    return last;
}

} // namespace

aof_scan scan_aof(std::istream& in)
{
    resp_reader r(in);
    std::uint64_t multi_start = 0, queued = 0;
    bool in_multi = false;
    std::string name, annotation;
    // Cut at the start of the unfinished transaction, else of the cut-off command.
    auto cut_off = [&](std::uint64_t command_start) {
        aof_scan cut;
        cut.end = aof_scan::ending::cut_off;
        cut.size = r.pos();
        cut.keep = in_multi ? multi_start : command_start;
        cut.open_transaction = in_multi;
        cut.queued_writes = in_multi ? queued : 0;
        return cut;
    };
    for (;;) {
        std::uint64_t start = r.pos();
        if (r.at_end()) break;
        step s;
        if (r.peek() == '#') {
            s = r.line(annotation); // "#TS:..." with aof-timestamp-enabled; the loader skips it
            if (s == step::bad) return malformed(start, "an annotation line without CRLF");
            if (s == step::end) return cut_off(start);
            continue;
        }
        s = read_command(r, name);
        if (s == step::bad) return malformed(start, "not a RESP command");
        if (s == step::end) return cut_off(start);
        if (names(name, "MULTI")) {
            // Redis never writes MULTI inside MULTI: an earlier restart kept a cut-off block
            // and this transaction was appended after it. Its queued writes would now apply.
            if (in_multi) return malformed(start, "MULTI inside an unfinished MULTI block");
            in_multi = true;
            multi_start = start;
            queued = 0;
        } else if (names(name, "EXEC")) {
            if (!in_multi) return malformed(start, "EXEC without MULTI");
            in_multi = false;
        } else if (in_multi) {
            ++queued;
        }
    }
    aof_scan done;
    done.size = r.pos();
    if (in_multi) {
        // A block whose EXEC never reached the file, cut back to here by an earlier restart.
        done.end = aof_scan::ending::cut_off;
        done.keep = multi_start;
        done.open_transaction = true;
        done.queued_writes = queued;
    } else {
        done.keep = done.size;
    }
    return done;
}

aof_repair repair_aof_tail(const std::string& redis_dir)
{
    aof_repair result;
    fs::path folder = fs::path(redis_dir) / "appendonlydir";
    fs::path manifest = folder / "appendonly.aof.manifest";
    std::error_code ec;
    if (!fs::exists(manifest, ec)) return result; // a new folder: no AOF yet
    std::string name = last_incremental(manifest);
    if (name.empty()) return result;
    fs::path file = folder / name;
    result.file = file.string();
    {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
            if (!fs::exists(file, ec)) return result; // Redis creates it on start
            throw std::runtime_error("cannot read " + result.file + ": " + std::strerror(errno));
        }
        result.scan = scan_aof(in);
        if (in.bad()) throw std::runtime_error("cannot read " + result.file + ": " + std::strerror(errno));
    }
    if (result.scan.end != aof_scan::ending::cut_off) return result;
    int fd = ::open(result.file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + result.file + ": " + std::strerror(errno));
    bool ok = ::ftruncate(fd, static_cast<off_t>(result.scan.keep)) == 0 && ::fsync(fd) == 0;
    int error = errno;
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot truncate " + result.file + ": " + std::strerror(error));
    result.truncated = true;
    return result;
}

} // namespace sp::redis
