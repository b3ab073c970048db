#include "util/json_duplicates.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace sp::util {
namespace {

bool find(simdjson::dom::element e, std::string& path)
{
    if (simdjson::dom::object o; e.get(o) == simdjson::SUCCESS) {
        std::vector<std::string_view> keys;
        keys.reserve(o.size());
        for (auto [key, value] : o) keys.push_back(key);
        std::sort(keys.begin(), keys.end());
        if (auto twice = std::adjacent_find(keys.begin(), keys.end()); twice != keys.end()) {
            path += path.empty() ? "" : ".";
            path += *twice;
            return true;
        }
        for (auto [key, value] : o) {
            std::size_t keep = path.size();
            path += path.empty() ? "" : ".";
            path += key;
            if (find(value, path)) return true;
            path.resize(keep);
        }
        return false;
    }
    if (simdjson::dom::array a; e.get(a) == simdjson::SUCCESS) {
        std::size_t i = 0;
        for (auto item : a) {
            std::size_t keep = path.size();
            path += "[" + std::to_string(i++) + "]";
            if (find(item, path)) return true;
            path.resize(keep);
        }
    }
    return false;
}

} // namespace

std::string first_duplicate_key(simdjson::dom::element e)
{
    std::string path;
    return find(e, path) ? path : std::string{};
}

} // namespace sp::util
