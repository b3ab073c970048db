-- Erases founders' personal data from bookings: name, e-mail, start-up and question are
-- blanked, the links to the founder (their hashed e-mail key and entries) and the
-- manage token are removed. What stays is what the statistics need: the session, the
-- status and the times. The change-log entry names no one.
-- Mode 'founder' (the founder asked, or an admin for them): every listed booking goes;
-- a booking that still holds a place in a coming session is refused ('active'), so the
-- caller cancels it first (seat freed, waitlist moved on). Mode 'retention': only
-- bookings whose session ended before the cutoff; a later one (rescheduled) is
-- re-scored instead.
-- KEYS[1] change stream  KEYS[2] personal-data zset
-- then per booking: KEYS booking hash, its token key, its founder zset, its founder set,
-- its founder's no-shows zset (mode 'founder' deletes it: it is named by the hashed e-mail;
-- in mode 'retention' it has long expired by itself, its window being shorter)
-- ARGV[1] now  ARGV[2] stream max length  ARGV[3] mode  ARGV[4] cutoff (epoch s)
-- ARGV[5] by  ARGV[6] erasure reason for the log ('request' | 'retention')
-- ARGV[7..] per booking: its id, its session's start, its session's end
-- Returns {'ok', erased count, version} or {'err', 'active', booking id}.
local now = tonumber(ARGV[1])
local n = (#KEYS - 2) / 5
-- Every check before the first write: a refusal leaves everything as it was.
if ARGV[3] == 'founder' then
  for i = 0, n - 1 do
    local b = redis.call('HMGET', KEYS[3 + 5 * i], 'status', 'erased_at')
    if (b[1] == 'confirmed' or b[1] == 'waitlisted') and not b[2] and tonumber(ARGV[8 + 3 * i]) > now then
      return {'err', 'active', ARGV[7 + 3 * i]}
    end
  end
end
local erased = 0
for i = 0, n - 1 do
  local booking, token, founder, founder_all = KEYS[3 + 5 * i], KEYS[4 + 5 * i], KEYS[5 + 5 * i], KEYS[6 + 5 * i]
  local no_shows = KEYS[7 + 5 * i]
  local id = ARGV[7 + 3 * i]
  local finish = tonumber(ARGV[9 + 3 * i])
  local b = redis.call('HMGET', booking, 'status', 'erased_at', 'founder_entry')
  if not b[1] then
    redis.call('ZREM', KEYS[2], id)
  elseif not b[2] then
    if ARGV[3] == 'retention' and finish >= tonumber(ARGV[4]) then
      redis.call('ZADD', KEYS[2], finish, id)
    else
      redis.call('HSET', booking, 'name', '', 'email', '', 'startup', '', 'question', '', 'erased_at', ARGV[1])
      redis.call('HDEL', booking, 'founder_key', 'founder_entry', 'token_hash', 'cancel_message')
      if b[3] then redis.call('ZREM', founder, b[3]) end
      redis.call('SREM', founder_all, id)
      redis.call('DEL', token)
      redis.call('ZREM', KEYS[2], id)
      if redis.call('SCARD', founder_all) == 0 and redis.call('ZCARD', founder) == 0 then
        redis.call('DEL', founder, founder_all)
      end
      if ARGV[3] == 'founder' then redis.call('DEL', no_shows) end
      erased = erased + 1
    end
  end
end
if erased == 0 then return {'ok', 0, ''} end
local version = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'type', 'founder.erased',
  'bookings', erased, 'reason', ARGV[6], 'by', ARGV[5])
return {'ok', erased, version}
