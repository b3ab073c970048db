// sprechstunde-admin: the community managers' command line until the admin pages
// exist. It talks to the hub's Redis directly through the same store the server uses,
// so every change is the same atomic script with the same change-log entry.
//
//   sprechstunde-admin [--config FILE] [--section.key=value ...] COMMAND
//     apply FILE.toml     create or update camps, rooms, experts, rules and events
//                         (the format of config/demo-hub.toml)
//     rule FILE.json      create or update one office-hour rule with its exceptions
//     rule-delete ID      delete a rule: unbooked future sessions go, booked ones
//                         stay as 'orphaned' for their expert to cancel or keep
//     expand              extend every rule's sessions to the rolling horizon now
//     invite-admin EMAIL  print a one-time invitation link for a community manager
//                         (the first admin starts here); valid for auth.invitation_days
//     backup FILE         write every key of the hub, taken in one step at one point of
//                         the change log (safe while the server runs), compressed and
//                         checksummed (store/backup_file.hpp); [--max-keys N], default 1000000
//     restore FILE        put a backup back into a hub that has no keys (stop the server
//                         first); [--force] replaces the keys the hub has. A damaged file
//                         or a newer layout version is refused and nothing is written.
//
// With redis.url = "embedded" it connects to the socket of the server's embedded Redis
// (redis.embedded_dir); it never starts one.
#include "api/json_input.hpp"
#include "redis/readiness_guard.hpp"
#include "app/seed_apply.hpp"
#include "app/seed_file.hpp"
#include "store/account_store.hpp"
#include "config/config_loader.hpp"
#include "log/logger.hpp"
#include "redis/client.hpp"
#include "store/hub_backup.hpp"
#include "store/hub_stores.hpp"
#include "store/rule_codec.hpp"
#include "util/secrets.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

extern char** environ;
namespace asio = boost::asio;

namespace {

int usage()
{
    std::fputs("usage: sprechstunde-admin [--config FILE] [--section.key=value ...] apply FILE.toml | rule FILE.json | rule-delete ID | expand | invite-admin EMAIL |\n"
               "       backup FILE [--max-keys N] | restore FILE [--force]\n",
               stderr);
    return 2;
}

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot be opened");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

sp::domain::instant now() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string_view> flags, words;
    bool force = false;
    std::size_t max_keys = 1'000'000;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        // The commands' own flags; every other --x is a configuration option.
        if (a == "--force") {
            force = true;
        } else if (a == "--max-keys" && i + 1 < argc) {
            max_keys = static_cast<std::size_t>(std::strtoull(argv[++i], nullptr, 10));
        } else if (a.starts_with("--")) {
            flags.push_back(a);
            if (a.find('=') == std::string_view::npos && a != "--help" && i + 1 < argc) flags.push_back(argv[++i]);
        } else {
            words.push_back(a);
        }
    }
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
    sp::config::config cfg;
    try {
        cfg = sp::config::load(flags, env).cfg;
    } catch (const sp::config::config_error& e) {
        std::fprintf(stderr, "sprechstunde-admin: configuration error: %s\n", e.what());
        return 2;
    }
    if (words.empty()) return usage();
    sp::log::configure(sp::log::level::warn, sp::log::format::kv);
    sp::util::secrets_init();

    sp::redis::endpoint where;
    if (cfg.redis.url == "embedded") {
        where.kind = sp::redis::endpoint::transport::unix_socket;
        where.path = (std::filesystem::absolute(cfg.redis.embedded_dir) / "redis.sock").lexically_normal().string();
    } else {
        auto parsed = sp::redis::parse_redis_url(cfg.redis.url);
        if (auto* p = std::get_if<std::string>(&parsed)) {
            std::fprintf(stderr, "sprechstunde-admin: option redis.url: %s\n", p->c_str());
            return 2;
        }
        where = std::get<sp::redis::endpoint>(parsed);
        where.sentinel_user = cfg.redis.sentinel_user;
        where.sentinel_password = cfg.redis.sentinel_password;
    }
    // The admin tool's writes count as the server's do.
    sp::redis::durability_options durability;
    if (cfg.redis.durability == "replicated") {
        durability.replicas = static_cast<int>(cfg.redis.wait_replicas);
        durability.timeout = std::chrono::milliseconds(cfg.redis.wait_timeout_ms);
    }

    asio::io_context ioc;
    auto work = asio::make_work_guard(ioc);
    std::thread io([&] { ioc.run(); });
    sp::redis::connection_options opts;
    opts.where = where;
    opts.client_name = "sprechstunde-admin";
    opts.command_timeout = std::chrono::milliseconds(cfg.redis.command_timeout_ms * 5);
    sp::redis::client redis(ioc.get_executor(), opts, durability);
    redis.start();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!redis.ready() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));

    int rc = 0;
    if (!redis.ready()) {
        std::fprintf(stderr, "sprechstunde-admin: %s\n", redis.not_ready_reason().c_str());
        rc = 1;
    } else {
        sp::store::store_settings settings;
        settings.prefix = cfg.redis.prefix;
        settings.change_log_max = cfg.hub.change_log_max_entries;
        settings.expansion_horizon = std::chrono::days(cfg.hub.expansion_horizon_days);
        sp::store::hub_stores store(redis, settings);
        try {
            std::string command(words[0]);
            if (command == "apply" && words.size() == 2) {
                auto seed = sp::app::read_seed_file(std::string(words[1]), now());
                auto n = asio::co_spawn(ioc, sp::app::apply_seed(store.catalog, store.schedule, seed, now()), asio::use_future).get();
                std::printf("applied: %zu camps, %zu rooms, %zu experts, %zu rules, %zu events; %zu new sessions\n",
                            n.camps, n.rooms, n.experts, n.rules, n.events, n.sessions_created);
            } else if (command == "rule" && words.size() == 2) {
                auto decoded = sp::store::decode_rule(read_file(std::string(words[1])));
                if (!decoded.problems.empty()) {
                    for (const auto& p : decoded.problems)
                        std::fprintf(stderr, "%s: %s\n", p.field.c_str(), p.message.c_str());
                    rc = 1;
                } else {
                    if (decoded.spec.rule.id.empty()) decoded.spec.rule.id = sp::util::random_id("r");
                    auto r = asio::co_spawn(ioc,
                                            store.schedule.put_rule(decoded.spec.rule, decoded.spec.exceptions, now(), "cli"),
                                            asio::use_future)
                                 .get();
                    if (!r.ok()) throw std::runtime_error(r.reason());
                    std::printf("rule %s: %d created, %d updated, %d removed, %d orphaned sessions\n",
                                decoded.spec.rule.id.c_str(), r.value.created, r.value.updated, r.value.removed,
                                r.value.orphaned);
                }
            } else if (command == "rule-delete" && words.size() == 2) {
                std::string rule_id(words[1]);
                auto r = asio::co_spawn(ioc, store.schedule.delete_rule(std::move(rule_id), now(), "cli"), asio::use_future).get();
                if (!r.ok()) throw std::runtime_error(r.reason());
                std::printf("rule %s deleted: %d sessions removed, %d orphaned (booked)\n",
                            std::string(words[1]).c_str(), r.value.removed, r.value.orphaned);
            } else if (command == "invite-admin" && words.size() == 2) {
                std::string email(words[1]);
                if (!sp::api::plausible_email(email)) throw std::runtime_error(email + " is not an e-mail address");
                sp::store::account_store accounts(store.runner, cfg.hub.change_log_max_entries);
                // Named arguments only: GCC 12 mishandles temporaries passed to coroutines.
                std::string invitee = sp::api::lower_ascii(email), role = "admin", no_expert, by = "tool";
                auto token = asio::co_spawn(ioc,
                                            accounts.invite(std::move(invitee), std::move(role), std::move(no_expert),
                                                            std::move(by), now(),
                                                            std::chrono::days(cfg.auth.invitation_days)),
                                            asio::use_future)
                                 .get();
                if (!token.ok()) throw std::runtime_error(token.reason());
                std::string base = cfg.hub.public_url;
                while (!base.empty() && base.back() == '/') base.pop_back();
                // Printed once: only its hash is stored.
                std::printf("%s/invite/%s\n", base.c_str(), token.value.c_str());
            } else if (command == "backup" && words.size() == 2) {
                std::string file(words[1]);
                auto taken = asio::co_spawn(ioc, sp::store::take_snapshot(redis, cfg.redis.prefix, max_keys),
                                            asio::use_future)
                                 .get();
                if (auto* problem = std::get_if<std::string>(&taken)) throw std::runtime_error(*problem);
                const auto& snap = std::get<sp::store::hub_snapshot>(taken);
                std::string bytes = sp::store::encode_backup(snap);
                // Written beside the target and renamed: a crash never leaves half a backup under its name.
                std::string tmp = file + ".partial";
                {
                    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
                    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
                    out.flush();
                    if (!out) throw std::runtime_error(tmp + ": cannot be written");
                }
                std::filesystem::rename(tmp, file);
                std::printf("backup %s: %zu keys, change log at %s, layout version %d, %zu bytes\n", file.c_str(),
                            snap.keys.size(), snap.change_log.empty() ? "(empty)" : snap.change_log.c_str(),
                            snap.layout_version, bytes.size());
            } else if (command == "restore" && words.size() == 2) {
                std::string file(words[1]);
                auto decoded = sp::store::decode_backup(read_file(file));
                if (auto* problem = std::get_if<std::string>(&decoded))
                    throw std::runtime_error(file + ": " + *problem + "; nothing was restored");
                const auto& snap = std::get<sp::store::hub_snapshot>(decoded);
                auto r = asio::co_spawn(ioc,
                                        sp::store::restore_snapshot(redis, cfg.redis.prefix, snap, force,
                                                                    sp::redis::k_layout_version),
                                        asio::use_future)
                             .get();
                if (!r.problem.empty()) throw std::runtime_error(file + ": " + r.problem + "; nothing was restored");
                std::printf("restored %s: %zu keys (taken %s, change log at %s)%s\n", file.c_str(), r.restored,
                            snap.taken_at.c_str(), snap.change_log.empty() ? "(empty)" : snap.change_log.c_str(),
                            r.replaced ? (", " + std::to_string(r.replaced) + " keys replaced").c_str() : "");
            } else if (command == "expand" && words.size() == 1) {
                auto r = asio::co_spawn(ioc, store.schedule.expand_all(now()), asio::use_future).get();
                if (!r.ok()) throw std::runtime_error(r.reason());
                std::printf("expanded: %d created, %d updated, %d removed, %d orphaned sessions\n", r.value.created,
                            r.value.updated, r.value.removed, r.value.orphaned);
            } else {
                rc = usage();
            }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "sprechstunde-admin: %s\n", e.what());
            rc = 1;
        }
    }
    redis.stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    work.reset();
    ioc.stop();
    io.join();
    return rc;
}
