#include "redis/aof_tail.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

using sp::redis::aof_scan;
using sp::redis::scan_aof;

namespace {
std::string command(std::initializer_list<std::string_view> args)
{
    std::string out = "*" + std::to_string(args.size()) + "\r\n";
    for (auto a : args)
        out += "$" + std::to_string(a.size()) + "\r\n" + std::string(a) + "\r\n";
    return out;
}
aof_scan scan(const std::string& bytes)
{
    std::istringstream in(bytes);
    return scan_aof(in);
}
const std::string set_a = command({"SET", "a", "1"});
const std::string transaction =
    command({"MULTI"}) + command({"HSET", "booking", "id", "b1"}) + command({"SADD", "set", "b1"}) + command({"EXEC"});
} // namespace

TEST_CASE("an AOF of whole commands and whole transactions is left as it is", "[aof_tail]")
{
    std::string file = set_a + "#TS:1700000000\r\n" + transaction + command({"multi"}) + command({"exec"}) + set_a;
    aof_scan s = scan(file);
    CHECK(s.end == aof_scan::ending::whole);
    CHECK(s.size == file.size());
    CHECK(s.keep == file.size());
    CHECK(scan("").end == aof_scan::ending::whole);
}

TEST_CASE("a transaction cut off anywhere is cut back to its MULTI", "[aof_tail]")
{
    // Every byte a kill -9 can stop at inside the block, including right before EXEC's end.
    for (std::size_t n = 1; n < transaction.size(); ++n) {
        INFO("the block's first " << n << " bytes reached the file");
        aof_scan s = scan(set_a + transaction.substr(0, n));
        CHECK(s.end == aof_scan::ending::cut_off);
        CHECK(s.keep == set_a.size());
        CHECK(s.size == set_a.size() + n);
        CHECK(s.open_transaction == (n >= command({"MULTI"}).size()));
    }
}

TEST_CASE("an unfinished MULTI block left by an earlier restart is dropped with its writes", "[aof_tail]")
{
    // What Redis 7.0 keeps after a short read inside MULTI: the block without its EXEC.
    std::string block = command({"MULTI"}) + command({"SET", "b", "2"}) + command({"SET", "c", "3"});
    aof_scan s = scan(set_a + block);
    CHECK(s.end == aof_scan::ending::cut_off);
    CHECK(s.keep == set_a.size());
    CHECK(s.open_transaction);
    CHECK(s.queued_writes == 2);
}

TEST_CASE("a plain command cut off is cut back to its start", "[aof_tail]")
{
    std::string partial = command({"SET", "b", "2"}).substr(0, 14);
    aof_scan s = scan(set_a + partial);
    CHECK(s.end == aof_scan::ending::cut_off);
    CHECK(s.keep == set_a.size());
    CHECK_FALSE(s.open_transaction);
    // A cut-off annotation line too.
    CHECK(scan(set_a + "#TS:17").keep == set_a.size());
}

TEST_CASE("an AOF broken in the middle is reported, not cut", "[aof_tail]")
{
    std::string broken = set_a + "garbage\r\n" + set_a;
    aof_scan s = scan(broken);
    CHECK(s.end == aof_scan::ending::malformed);
    CHECK(s.keep == set_a.size());
    // A bulk string longer than its length says.
    CHECK(scan(set_a + "*1\r\n$4\r\nEXECX\r\n").end == aof_scan::ending::malformed);
    // An earlier restart kept a cut-off block and a later transaction followed it: cutting at
    // the first MULTI would drop acknowledged writes, so it is reported instead.
    std::string after_bad_restart = command({"MULTI"}) + command({"SET", "b", "2"}) + transaction;
    aof_scan nested = scan(after_bad_restart);
    CHECK(nested.end == aof_scan::ending::malformed);
    CHECK(nested.problem == "MULTI inside an unfinished MULTI block");
    CHECK(scan(command({"EXEC"})).end == aof_scan::ending::malformed);
}

TEST_CASE("repair_aof_tail truncates the manifest's last incremental file only", "[aof_tail]")
{
    namespace fs = std::filesystem;
    fs::path dir = fs::path(SP_SCRATCH_DIR) / "aof_tail";
    fs::remove_all(dir);
    CHECK(sp::redis::repair_aof_tail(dir.string()).file.empty()); // no AOF yet
    fs::create_directories(dir / "appendonlydir");
    auto write = [&](const std::string& name, const std::string& bytes) {
        std::ofstream(dir / "appendonlydir" / name, std::ios::binary) << bytes;
    };
    std::string cut = set_a + command({"MULTI"}) + command({"SET", "b", "2"}) + "*3\r\n$3\r\nSET\r\n$1\r\nc";
    write("appendonly.aof.manifest", "file appendonly.aof.2.base.rdb seq 2 type b\n"
                                     "file appendonly.aof.1.incr.aof seq 1 type h\n"
                                     "file appendonly.aof.2.incr.aof seq 2 type i\n"
                                     "file appendonly.aof.3.incr.aof seq 3 type i\n");
    write("appendonly.aof.1.incr.aof", cut); // history: Redis no longer reads it
    write("appendonly.aof.2.incr.aof", set_a);
    write("appendonly.aof.3.incr.aof", cut);
    auto r = sp::redis::repair_aof_tail(dir.string());
    CHECK(r.truncated);
    CHECK(r.file == (dir / "appendonlydir" / "appendonly.aof.3.incr.aof").string());
    CHECK(fs::file_size(dir / "appendonlydir" / "appendonly.aof.3.incr.aof") == set_a.size());
    CHECK(fs::file_size(dir / "appendonlydir" / "appendonly.aof.1.incr.aof") == cut.size());
    // Repaired once, it stays as it is.
    CHECK_FALSE(sp::redis::repair_aof_tail(dir.string()).truncated);
}
