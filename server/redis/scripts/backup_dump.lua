-- Copies every key of one hub in one step: a script runs alone in Redis, so no write
-- falls between two keys and the copy is the hub at one point of its change log
-- (returned with it), even while the server is booking. Read-only. Bounded: a hub with
-- more than ARGV[2] keys is refused before anything is copied, because the copy
-- blocks Redis while it runs (the README's file-level backup covers larger hubs).
-- KEYS[1] P meta (hash), KEYS[2] P changes (stream)
-- ARGV[1] glob of the hub's keys (the prefix, glob-escaped, then *), ARGV[2] max keys
-- Returns {'ok', layout version, last change-log id or '', name, pttl, DUMP payload, ...}
--      or {'err', 'too-many-keys', count}
local names = redis.call('KEYS', ARGV[1])
if #names > tonumber(ARGV[2]) then
  return {'err', 'too-many-keys', tostring(#names)}
end
table.sort(names)
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
local out = {'ok', redis.call('HGET', KEYS[1], 'layout_version') or '0', last[1] and last[1][1] or ''}
for _, name in ipairs(names) do
  out[#out + 1] = name
  out[#out + 1] = tostring(redis.call('PTTL', name))
  out[#out + 1] = redis.call('DUMP', name)
end
return out
