#include "support/sinks.hpp"

#include "support/test_env.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sodium.h>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace sp::test {

python_sink::python_sink(std::string script)
    : script_(std::move(script)), port_(free_port()), dir_(scratch_dir("sink"))
{
}

python_sink::~python_sink() { stop(); }

void python_sink::start()
{
    child_ = util::child_process::spawn({"/usr/bin/python3", std::string(SP_SOURCE_DIR) + "/tests/support/" + script_,
                                         std::to_string(port_), dir_},
                                        dir_ + "/sink.log");
    bool up = eventually(
        [&] {
            boost::asio::io_context io;
            boost::asio::ip::tcp::socket s(io);
            boost::system::error_code ec;
            s.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
            return !ec;
        },
        std::chrono::seconds(10));
    if (!up) throw std::runtime_error(script_ + " did not start; see " + dir_ + "/sink.log");
}

void python_sink::stop()
{
    if (child_.valid()) child_.terminate(std::chrono::seconds(3));
    child_ = {};
}

void feed_server::put(const std::string& name, const std::string& body) const
{
    std::string tmp = folder() + "/." + name + ".tmp";
    std::ofstream(tmp, std::ios::binary) << body;
    fs::rename(tmp, folder() + "/" + name); // never half a file
}

void feed_server::remove(const std::string& name) const { fs::remove(folder() + "/" + name); }

std::vector<std::string> feed_server::requests() const
{
    std::vector<std::string> out;
    std::ifstream in(folder() + "/requests.log");
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::vector<std::string> python_sink::files(const std::string& ext) const
{
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_))
        if (e.path().extension() == ext) names.push_back(e.path().string());
    std::sort(names.begin(), names.end());
    std::vector<std::string> out;
    for (const auto& n : names) {
        std::ifstream in(n, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        out.push_back(ss.str());
    }
    return out;
}

namespace {
std::string from_base64(std::string_view b64)
{
    std::string bin(b64.size(), '\0');
    std::size_t len = 0;
    sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), b64.data(), b64.size(), nullptr, &len,
                      nullptr, sodium_base64_VARIANT_ORIGINAL);
    bin.resize(len);
    return bin;
}
} // namespace

std::string header_of(const std::string& message, const std::string& name)
{
    std::string head = message.substr(0, message.find("\r\n\r\n"));
    std::string prefix = "\n" + name + ": ";
    auto at = ("\n" + head).find(prefix);
    if (at == std::string::npos) return {};
    std::string value;
    std::size_t pos = at + prefix.size() - 1;
    for (;;) { // the value and its folded continuation lines
        auto eol = head.find("\r\n", pos);
        value += head.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
        if (eol == std::string::npos || eol + 2 >= head.size() || head[eol + 2] != ' ') break;
        pos = eol + 3;
    }
    std::string out;
    for (std::size_t i = 0; i < value.size();) {
        auto start = value.find("=?UTF-8?B?", i);
        if (start == std::string::npos) {
            out += value.substr(i);
            break;
        }
        out += value.substr(i, start - i);
        auto end = value.find("?=", start + 10);
        out += from_base64(std::string_view(value).substr(start + 10, end - start - 10));
        i = end + 2;
    }
    return out;
}

std::vector<mime_part> mime_parts(const std::string& message)
{
    // Every part this server writes is base64 with a Content-Type line; walk them.
    std::vector<mime_part> out;
    std::size_t pos = 0;
    for (;;) {
        auto ct = message.find("Content-Type: ", pos);
        if (ct == std::string::npos) break;
        auto eol = message.find("\r\n", ct);
        std::string type = message.substr(ct + 14, eol - ct - 14);
        auto body_start = message.find("\r\n\r\n", ct);
        if (body_start == std::string::npos) break;
        body_start += 4;
        pos = body_start;
        if (type.rfind("multipart/", 0) == 0) continue;
        auto end = message.find("\r\n--", body_start);
        std::string b64 = message.substr(body_start, end - body_start);
        b64.erase(std::remove_if(b64.begin(), b64.end(), [](char c) { return c == '\r' || c == '\n'; }), b64.end());
        std::string bin(b64.size(), '\0');
        std::size_t len = 0;
        sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), b64.data(), b64.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_ORIGINAL);
        bin.resize(len);
        out.push_back({type, bin});
        pos = end;
    }
    return out;
}

} // namespace sp::test
