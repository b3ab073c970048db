-- Records one fetch of an expert's calendar: a good import replaces that calendar's busy
-- times, a failed one keeps them and records the error; an unchanged feed (304) only
-- counts as a good fetch. Nothing is written when the calendar was removed or its
-- address changed while it was fetched. After a good import the expert's future
-- sessions are marked busy or free again (lib/busy.lua); a session that becomes busy
-- while it holds bookings is a new conflict: the expert gets one e-mail about it.
-- KEYS[1] the expert's calendar addresses  KEYS[2] their state  KEYS[3] their busy times
-- KEYS[4] the expert's sessions (zset)  KEYS[5] change stream
-- KEYS[6 .. 5+M] the expert's future session hashes, as the caller read them
-- KEYS[#KEYS - 1], KEYS[#KEYS] outbox and its sequence (lib/outbox.lua)
-- ARGV[1] calendar id  ARGV[2] the URL that was fetched  ARGV[3] fetched | not-modified | failed
-- ARGV[4] now (epoch s)  ARGV[5] error in plain words (failed)  ARGV[6] busy times
-- ("start-end start-end ..." in epoch s, fetched)  ARGV[7] number of busy times
-- ARGV[8] ETag  ARGV[9] Last-Modified  ARGV[10] expert id  ARGV[11] stream max length
-- ARGV[12] the error as a code (failed; calendar/feed_problem.hpp)
-- ARGV[13] M  ARGV[14 .. 13+M] the ids of those sessions  last ARGV webhooks on (1/0)
-- Returns {'ok', changed (1 when the busy times are different now), new conflicts},
-- {'ok', 0, 0} when the calendar is gone, or {'err', 'retry'} when the expert's future
-- sessions are not those the caller saw.
--! include outbox
--! include busy
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return {'ok', 0, 0} end
local id, now, m = ARGV[1], tonumber(ARGV[4]), tonumber(ARGV[13])
local keys, ids
if ARGV[3] == 'fetched' then
  keys, ids = busy_sessions_as_read(KEYS[4], now, m, 5, 13)
  if not keys then return {'err', 'retry'} end
end
redis.call('HSET', KEYS[2], id .. ':fetched_at', ARGV[4])
if ARGV[3] == 'failed' then
  redis.call('HSET', KEYS[2], id .. ':error', ARGV[5], id .. ':error_code', ARGV[12])
  return {'ok', 0, 0}
end
redis.call('HSET', KEYS[2], id .. ':ok_at', ARGV[4], id .. ':error', '', id .. ':error_code', '')
if ARGV[3] == 'not-modified' then return {'ok', 0, 0} end
redis.call('HSET', KEYS[2], id .. ':count', ARGV[7], id .. ':etag', ARGV[8], id .. ':last_modified', ARGV[9])
local before = redis.call('HGET', KEYS[3], id) or ''
redis.call('HSET', KEYS[3], id, ARGV[6])
local changed = before ~= ARGV[6]
if changed then
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[11], '*', 'type', 'busy.imported', 'expert', ARGV[10],
    'calendar', id, 'busy', ARGV[7])
end
local conflicts = busy_remark(busy_spans(KEYS[3]), keys, ids, KEYS[5], ARGV[11])
for _, s in ipairs(conflicts) do outbox_add(now, 'mail', 'expert_conflict', s) end
return {'ok', changed and 1 or 0, #conflicts}
