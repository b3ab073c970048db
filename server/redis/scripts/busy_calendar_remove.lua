-- Disconnects one of an expert's own calendars: its address, state and busy times go.
-- KEYS[1] the expert's calendar addresses  KEYS[2] their state  KEYS[3] their busy times
-- KEYS[4] set of experts with calendars
-- ARGV[1] expert id  ARGV[2] calendar id
-- Returns {'ok'} or {'err', 'unknown-calendar'}.
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then return {'err', 'unknown-calendar'} end
redis.call('HDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
local prefix = ARGV[2] .. ':'
local fields = redis.call('HKEYS', KEYS[2])
for _, f in ipairs(fields) do
  if string.sub(f, 1, #prefix) == prefix then redis.call('HDEL', KEYS[2], f) end
end
if redis.call('HLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2], KEYS[3])
  redis.call('SREM', KEYS[4], ARGV[1])
end
return {'ok'}
