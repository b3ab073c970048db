-- Puts a hub back from a backup in one step: the server and other tools see the hub
-- either as it was or as the backup has it, never half restored. It checks before its
-- first write: a hub that has keys is refused unless ARGV[2] is '1' (the operator's
-- --force), in which case those keys go first. The change log comes back as it was
-- (the stream keeps its last id), so no entry is appended: a live client's `since`
-- still resumes, and the restore itself is in the admin tool's output.
-- KEYS every key of the backup, already named with this hub's prefix
-- ARGV[1] glob of the hub's keys, ARGV[2] '1' to replace existing keys,
-- then per key i: ARGV[1 + 2i] pttl in ms (<= 0: no expiry), ARGV[2 + 2i] DUMP payload
-- Returns {'ok', keys restored, keys replaced} or {'err', 'not-empty', count}
local existing = redis.call('KEYS', ARGV[1])
if #existing > 0 and ARGV[2] ~= '1' then
  return {'err', 'not-empty', tostring(#existing)}
end
for _, name in ipairs(existing) do
  redis.call('DEL', name)
end
for i, name in ipairs(KEYS) do
  local ttl = tonumber(ARGV[1 + 2 * i])
  if ttl < 0 then ttl = 0 end
  redis.call('RESTORE', name, ttl, ARGV[2 + 2 * i], 'REPLACE')
end
return {'ok', #KEYS, #existing}
