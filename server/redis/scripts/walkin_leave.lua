-- A walk-in entry leaves its camp's queue: the founder leaves, or an admin removes it. An
-- open offer is withdrawn (the session's offer fields cleared, the seat free for the next).
-- Leaving twice, or after the entry expired, changes nothing; a booked entry stays booked.
-- KEYS[1] entry hash  KEYS[2] camp's queue  KEYS[3] open offers zset
-- KEYS[4] the session hash of the offer the caller saw (the entry key when none)
-- KEYS[5] that session's waitlist (any key when none)  KEYS[6] change stream
-- ARGV[1] entry id  ARGV[2] now  ARGV[3] by ('founder' or the admin's account id)
-- ARGV[4] stream max length  ARGV[5] the offer's session the caller saw ('' none)
-- Returns {'ok', version ('' when nothing changed)} or {'err', code}; 'retry' when the
-- offer moved since the caller read it.
local w = redis.call('HMGET', KEYS[1], 'state', 'offer_session', 'camp')
if not w[1] then return {'err', 'unknown-walkin'} end
if w[1] == 'booked' then return {'err', 'already-claimed'} end
if w[1] == 'left' or w[1] == 'expired' then return {'ok', ''} end
if (w[2] or '') ~= ARGV[5] then return {'err', 'retry'} end
redis.call('HSET', KEYS[1], 'state', 'left', 'left_at', ARGV[2], 'left_by', ARGV[3])
redis.call('HDEL', KEYS[1], 'offer_session', 'offer_until')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
local fields = {'type', 'walkin.left', 'camp', w[3], 'walkin', ARGV[1], 'by', ARGV[3]}
if ARGV[5] ~= '' then
  if redis.call('HGET', KEYS[4], 'offer_entry') == ARGV[1] then
    redis.call('HDEL', KEYS[4], 'offer_entry', 'offer_ticket', 'offer_until')
  end
  local s = redis.call('HMGET', KEYS[4], 'taken', 'seats')
  local waiting = redis.call('LLEN', KEYS[5])
  table.insert(fields, 'session') table.insert(fields, ARGV[5])
  table.insert(fields, 'taken') table.insert(fields, s[1] or '0')
  table.insert(fields, 'seats') table.insert(fields, s[2] or '0')
  table.insert(fields, 'waiting') table.insert(fields, waiting)
end
local version = redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[4], '*', unpack(fields))
if ARGV[5] ~= '' and redis.call('EXISTS', KEYS[4]) == 1 then redis.call('HSET', KEYS[4], 'version', version) end
return {'ok', version}
