-- Marks the hub's keyspace with the layout version this server writes, and tells the
-- caller which version was there before (an older server may not read a newer layout).
-- KEYS[1] = <prefix>meta (hash)
-- ARGV[1] = layout version of this server, ARGV[2] = now (epoch seconds)
-- Returns the version that was stored before this call (0 for a new hub).
local previous = tonumber(redis.call('HGET', KEYS[1], 'layout_version') or '0')
if previous < tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'layout_version', ARGV[1])
  if previous == 0 then
    redis.call('HSET', KEYS[1], 'created_at', ARGV[2])
  end
end
return previous
