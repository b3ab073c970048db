#include "store/backup_file.hpp"

#include "util/json_writer.hpp"

#include <simdjson.h>
#include <sodium.h>
#include <zlib.h>

namespace sp::store {
namespace {

constexpr std::string_view k_magic = "sprechstunde-backup 1\n";
constexpr std::string_view k_trailer = "\nsha256 ";
constexpr std::size_t k_hex = 64;

std::string sha256_hex(std::string_view bytes)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[k_hex + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return std::string(hex, k_hex);
}

template <class T>
void put(std::string& out, T v)
{
    for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xff));
}

template <class T>
bool take(std::string_view& in, T& v)
{
    if (in.size() < sizeof(T)) return false;
    std::uint64_t x = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) x |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
    v = static_cast<T>(x);
    in.remove_prefix(sizeof(T));
    return true;
}

bool take_bytes(std::string_view& in, std::string& out)
{
    std::uint32_t n = 0;
    if (!take(in, n) || in.size() < n) return false;
    out.assign(in.substr(0, n));
    in.remove_prefix(n);
    return true;
}

} // namespace

std::string encode_backup(const hub_snapshot& s)
{
    std::string payload;
    for (const auto& k : s.keys) {
        put<std::uint32_t>(payload, static_cast<std::uint32_t>(k.name.size()));
        payload += k.name;
        put<std::int64_t>(payload, k.pttl_ms);
        put<std::uint32_t>(payload, static_cast<std::uint32_t>(k.payload.size()));
        payload += k.payload;
    }
    uLongf packed_size = compressBound(payload.size());
    std::string packed(packed_size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size, reinterpret_cast<const Bytef*>(payload.data()),
                  payload.size(), 6) != Z_OK)
        throw std::runtime_error("zlib could not compress the backup");
    packed.resize(packed_size);

    util::json_writer w;
    w.begin_object().key("layout_version").value(s.layout_version).key("prefix").value(s.prefix);
    w.key("change_log").value(s.change_log).key("keys").value(static_cast<std::int64_t>(s.keys.size()));
    w.key("bytes").value(static_cast<std::int64_t>(payload.size())).key("taken_at").value(s.taken_at);
    w.end_object();
    std::string out(k_magic);
    out += w.take();
    out += '\n';
    out += packed;
    std::string sum = sha256_hex(out);
    out += k_trailer;
    out += sum;
    out += '\n';
    return out;
}

std::variant<hub_snapshot, std::string> decode_backup(std::string_view bytes)
{
    if (bytes.substr(0, k_magic.size()) != k_magic) return std::string("not a Sprechstunde backup (no sprechstunde-backup 1 header)");
    std::size_t trailer_size = k_trailer.size() + k_hex + 1;
    if (bytes.size() < k_magic.size() + trailer_size || bytes.substr(bytes.size() - trailer_size, k_trailer.size()) != k_trailer ||
        bytes.back() != '\n')
        return std::string("the file is truncated (its checksum line is missing)");
    std::string_view body = bytes.substr(0, bytes.size() - trailer_size);
    std::string_view sum = bytes.substr(bytes.size() - k_hex - 1, k_hex);
    if (sha256_hex(body) != sum) return std::string("the file is damaged: its SHA-256 checksum does not match");

    body.remove_prefix(k_magic.size());
    auto eol = body.find('\n');
    if (eol == std::string_view::npos) return std::string("the file's header line is missing");
    simdjson::dom::parser parser;
    simdjson::padded_string header(body.substr(0, eol));
    simdjson::dom::element h;
    hub_snapshot s;
    std::int64_t layout = 0, keys = 0, size = 0;
    std::string_view prefix, change_log, taken_at;
    if (parser.parse(header).get(h) != simdjson::SUCCESS || h["layout_version"].get(layout) != simdjson::SUCCESS ||
        h["prefix"].get(prefix) != simdjson::SUCCESS || h["change_log"].get(change_log) != simdjson::SUCCESS ||
        h["keys"].get(keys) != simdjson::SUCCESS || h["bytes"].get(size) != simdjson::SUCCESS ||
        h["taken_at"].get(taken_at) != simdjson::SUCCESS || keys < 0 || size < 0 || size > (std::int64_t{1} << 34))
        return std::string("the file's header is not a backup header");
    s.layout_version = static_cast<int>(layout);
    s.prefix = prefix;
    s.change_log = change_log;
    s.taken_at = taken_at;

    std::string_view packed = body.substr(eol + 1);
    std::string payload(static_cast<std::size_t>(size), '\0');
    uLongf out_size = payload.size();
    if (uncompress(reinterpret_cast<Bytef*>(payload.data()), &out_size, reinterpret_cast<const Bytef*>(packed.data()),
                   packed.size()) != Z_OK ||
        out_size != payload.size())
        return std::string("the file's data does not decompress to the size its header names");
    std::string_view in(payload);
    for (std::int64_t i = 0; i < keys; ++i) {
        snapshot_key k;
        if (!take_bytes(in, k.name) || !take(in, k.pttl_ms) || !take_bytes(in, k.payload))
            return std::string("the file's data ends before its last key");
        s.keys.push_back(std::move(k));
    }
    if (!in.empty()) return std::string("the file's data has bytes after its last key");
    return s;
}

} // namespace sp::store
