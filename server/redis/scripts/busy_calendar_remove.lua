-- Disconnects one of an expert's own calendars: its address, state and busy times go,
-- and the expert's future sessions are marked busy or free again against what remains
-- (lib/busy.lua); a session it alone made busy is bookable again.
-- KEYS[1] the expert's calendar addresses  KEYS[2] their state  KEYS[3] their busy times
-- KEYS[4] set of experts with calendars  KEYS[5] the expert's sessions (zset)
-- KEYS[6] change stream  KEYS[7 .. 6+M] the expert's future session hashes, as the caller read them
-- ARGV[1] expert id  ARGV[2] calendar id  ARGV[3] now (epoch s)  ARGV[4] stream max length
-- ARGV[5] M  ARGV[6 .. 5+M] the ids of those sessions
-- Returns {'ok'} or {'err', 'unknown-calendar' | 'retry'}.
--! include busy
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then return {'err', 'unknown-calendar'} end
local keys, ids = busy_sessions_as_read(KEYS[5], ARGV[3], tonumber(ARGV[5]), 6, 5)
if not keys then return {'err', 'retry'} end
redis.call('HDEL', KEYS[1], ARGV[2])
local had_busy = redis.call('HDEL', KEYS[3], ARGV[2]) == 1
local prefix = ARGV[2] .. ':'
local fields = redis.call('HKEYS', KEYS[2])
for _, f in ipairs(fields) do
  if string.sub(f, 1, #prefix) == prefix then redis.call('HDEL', KEYS[2], f) end
end
if redis.call('HLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2], KEYS[3])
  redis.call('SREM', KEYS[4], ARGV[1])
end
if had_busy then
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[4], '*', 'type', 'busy.imported', 'expert', ARGV[1],
    'calendar', ARGV[2], 'busy', 0)
end
busy_remark(busy_spans(KEYS[3]), keys, ids, KEYS[6], ARGV[4])
return {'ok'}
