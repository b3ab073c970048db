-- Connects one of an expert's own calendars (its private iCalendar address, a secret).
-- KEYS[1] expert record  KEYS[2] the expert's calendar addresses (hash id -> URL)
-- KEYS[3] the expert's calendar state  KEYS[4] set of experts with calendars
-- ARGV[1] expert id  ARGV[2] new calendar id  ARGV[3] URL  ARGV[4] most calendars per expert
-- ARGV[5] now (epoch s)
-- Returns {'ok'} or {'err', 'unknown' | 'too-many-calendars' | 'calendar-exists'}.
if redis.call('EXISTS', KEYS[1]) == 0 then return {'err', 'unknown'} end
local urls = redis.call('HVALS', KEYS[2])
for _, u in ipairs(urls) do
  if u == ARGV[3] then return {'err', 'calendar-exists'} end
end
if #urls >= tonumber(ARGV[4]) then return {'err', 'too-many-calendars'} end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2] .. ':added_at', ARGV[5],
  ARGV[2] .. ':order', redis.call('HINCRBY', KEYS[3], 'added', 1))
redis.call('SADD', KEYS[4], ARGV[1])
return {'ok'}
