#pragma once
/**
 * Typed bindings of the scripts that save and delete the hub's records: camps, rooms,
 * experts, office-hour rules, events (redis/scripts/entity_put.lua, entity_delete.lua);
 * see store/script_runner.hpp.
 */
#include "domain/zoned_time.hpp"
#include "redis/script_call.hpp"
#include "store/keys.hpp"
#include "store/reply_helpers.hpp"
#include "store/scripts/script_binding.hpp"

#include <string>
#include <utility>
#include <vector>

namespace sp::store::scripts {

/** Creates or replaces one record and indexes it, with its change-log entry. */
struct entity_put : script<"entity_put", redis::script_effect::tells_users, outbox_use::none> {
    struct input {
        std::string key;            // the record's hash
        std::string index;          // the set of all ids of its kind
        std::string second_index;   // e.g. a camp's rooms ("" = none)
        std::string previous_index; // the second index it was in before ("" = none)
        std::string id, change, by;
        std::int64_t change_log_max = 0;
        std::vector<std::string> fields; // field, value pairs: the whole record
    };
    struct reply {
        bool created = false;
        std::string version;
    };
    static redis::script_arguments call(const keys& k, input& in)
    {
        redis::script_arguments c{{in.key, in.index, k.changes(), in.second_index.empty() ? in.index : in.second_index},
                                  {in.id, in.change, std::to_string(in.change_log_max), in.by}};
        if (!in.previous_index.empty()) c.keys.push_back(in.previous_index);
        for (auto& f : in.fields)
            c.args.push_back(std::move(f));
        return c;
    }
    static bool parse(const redis::reply& r, reply& out)
    {
        out = {str_at(r, 2) == "created", str_at(r, 1)};
        return str_at(r, 0) == "ok";
    }
};

/** Deletes a record that nothing uses: refuses with unknown_record, or in_use naming the
 *  guard (e.g. "rooms") whose set is not empty. */
struct entity_delete : script<"entity_delete", redis::script_effect::tells_users, outbox_use::none>, version_reply {
    struct input {
        std::string key, id, change, by;
        domain::instant now;
        std::int64_t change_log_max = 0;
        std::vector<std::string> index_sets;                     // lose the id
        std::vector<std::pair<std::string, std::string>> guards; // (name, set key) that must be empty
        std::vector<std::string> owned;                          // deleted with the record
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        redis::script_arguments c{{in.key, k.changes()},
                                  {in.id, in.change, std::to_string(in.change_log_max), in.by,
                                   std::to_string(in.index_sets.size()), epoch(in.now),
                                   std::to_string(in.owned.size())}};
        for (const auto& s : in.index_sets)
            c.keys.push_back(s);
        for (const auto& o : in.owned)
            c.keys.push_back(o);
        for (const auto& g : in.guards) {
            c.keys.push_back(g.second);
            c.args.push_back(g.first);
        }
        return c;
    }
};

/** expert_photo.lua: sets (type non-empty) or removes an expert's photo. */
struct expert_photo : script<"expert_photo", redis::script_effect::tells_users, outbox_use::none>, version_reply {
    struct input {
        std::string expert_id;
        std::string content_type; // "" = remove
        std::string bytes, etag, by;
        domain::instant now;
        std::int64_t change_log_max = 0;
    };
    static redis::script_arguments call(const keys& k, const input& in)
    {
        return {{k.expert(in.expert_id), k.expert_photo(in.expert_id), k.experts_with_photo(), k.changes()},
                {in.expert_id, in.content_type, in.bytes, in.etag, epoch(in.now), in.by,
                 std::to_string(in.change_log_max)}};
    }
};

} // namespace sp::store::scripts
