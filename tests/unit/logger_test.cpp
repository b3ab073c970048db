#include "log/journal.hpp"
#include "log/logger.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace sp::log;

TEST_CASE("a key=value line carries the event and its fields", "[log]")
{
    std::string line = render(format::kv, level::info, "access", {{"status", 200}, {"path", "/index.html"}});
    CHECK_THAT(line, Catch::StartsWith("ts="));
    CHECK_THAT(line, Catch::Contains(" level=info event=access status=200 path=/index.html\n"));
}

TEST_CASE("values with spaces, quotes or line breaks cannot forge a second line", "[log][security]")
{
    std::string line =
        render(format::kv, level::warn, "access", {{"path", "/x\nts=fake level=error event=forged"}, {"q", "a \"b\""}});
    CHECK(std::count(line.begin(), line.end(), '\n') == 1);
    CHECK_THAT(line, Catch::Contains(R"(path="/x\nts=fake level=error event=forged")"));
    CHECK_THAT(line, Catch::Contains(R"(q="a \"b\"")"));
}

TEST_CASE("the JSON format writes one valid object per line", "[log]")
{
    std::string line = render(format::json, level::error, "boom", {{"n", 3}, {"ok", false}, {"why", "a\"b\n"}});
    CHECK(line.back() == '\n');
    simdjson::dom::parser p;
    auto doc = p.parse(line.substr(0, line.size() - 1));
    REQUIRE(doc.error() == simdjson::SUCCESS);
    CHECK(std::string_view(doc["event"].get_string()) == "boom");
    CHECK(int64_t(doc["n"].get_int64()) == 3);
    CHECK(bool(doc["ok"].get_bool()) == false);
    CHECK(std::string_view(doc["why"].get_string()) == "a\"b\n");
}

TEST_CASE("levels below the configured one are not written", "[log]")
{
    configure(level::warn, format::kv);
    CHECK_FALSE(enabled(level::info));
    CHECK(enabled(level::error));
    configure(level::info, format::kv);
    CHECK(enabled(level::info));
}

TEST_CASE("under systemd each line starts with its syslog priority for the journal", "[log]")
{
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    configure(level::debug, format::kv, fds[1]);
    set_journal_priorities(true);
    sp::log::warn("disk_low", {{"free_mb", 12}});
    sp::log::error("redis_refused", {});
    sp::log::debug("tick", {});
    set_journal_priorities(false);
    sp::log::info("plain", {});
    configure(level::info, format::kv);
    char buf[1024];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    ::close(fds[0]);
    ::close(fds[1]);
    REQUIRE(n > 0);
    std::string out(buf, static_cast<std::size_t>(n));
    CHECK(out.rfind("<4>ts=", 0) == 0);
    CHECK(out.find("\n<3>ts=") != std::string::npos);
    CHECK(out.find("\n<7>ts=") != std::string::npos);
    CHECK(out.find("\nts=") != std::string::npos); // the last line: no prefix once switched off
    CHECK(out.find("event=plain") != std::string::npos);
}

TEST_CASE("JOURNAL_STREAM counts only when it names the file standard error is", "[log]")
{
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    struct stat st{};
    REQUIRE(::fstat(fds[1], &st) == 0);
    std::string mine = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    CHECK(stream_is_journal(mine, fds[1]));
    CHECK_FALSE(stream_is_journal(mine + "1", fds[1])); // inherited from a parent's journal stream
    CHECK_FALSE(stream_is_journal("", fds[1]));
    ::close(fds[0]);
    ::close(fds[1]);
}
