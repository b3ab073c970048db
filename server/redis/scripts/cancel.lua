-- Cancels a booking (confirmed or waitlisted). A freed seat goes, in the same step and
-- the same change-log entry, to the first founder on the session's waitlist. Cancelling
-- a cancelled booking changes nothing and answers its state again.
--
-- KEYS[1] booking hash        KEYS[2] session hash   KEYS[3] session's bookings set
-- KEYS[4] session's waitlist  KEYS[5] founder zset   KEYS[6] change stream
-- KEYS[7] booking hash of the waitlist head the caller saw (any key when none)
-- KEYS[8] outbox  KEYS[9] outbox sequence  (see lib/outbox.lua; last ARGV: webhooks on)
-- ARGV[1] booking id  ARGV[2] session id  ARGV[3] now  ARGV[4] waitlist head the caller
-- saw ('' = empty)    ARGV[5] stream max length       ARGV[6] who ('founder' | 'expert' | 'admin')
-- Returns {'ok', status before, promoted booking id or '', taken, waiting, version}
--      or {'err', code}; {'err', 'retry'} when the waitlist head moved (call again).
--! include outbox
--! include seat
local b = redis.call('HMGET', KEYS[1], 'status', 'session_id', 'founder_entry', 'checked_in_at')
if not b[1] then return {'err', 'unknown-booking'} end
if b[2] ~= ARGV[2] then return {'err', 'retry'} end
local now = tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[2], 'start', 'seats', 'taken')
if b[1] == 'cancelled' then
  return {'ok', 'cancelled', '', tonumber(s[3]), redis.call('LLEN', KEYS[4]), ''}
end
if tonumber(s[1]) <= now then return {'err', 'in-past'} end
local head = redis.call('LINDEX', KEYS[4], 0) or ''
if b[1] == 'confirmed' and head ~= ARGV[4] then return {'err', 'retry'} end

redis.call('HSET', KEYS[1], 'status', 'cancelled', 'cancelled_at', now, 'cancelled_by', ARGV[6], 'updated_at', now)
redis.call('HINCRBY', KEYS[1], 'sequence', 1)
if b[1] == 'confirmed' and b[4] and b[4] ~= '' then
  -- Checked in (checkin.lua) and gone after all: the lobby's tick and the attendance
  -- count follow.
  redis.call('HINCRBY', KEYS[2], 'checked_in', -1)
  redis.call('HINCRBY', KEYS[2], 'attended', -1)
  redis.call('HDEL', KEYS[1], 'checked_in_at', 'checked_in_by')
end
notify(now, 'cancellation', ARGV[1], 'booking.cancelled')
redis.call('ZREM', KEYS[5], b[3])
local taken = tonumber(s[3])
local promoted = ''
if b[1] == 'confirmed' then
  redis.call('SREM', KEYS[3], ARGV[1])
  promoted, taken = seat_pass_on(now, head, KEYS[3], KEYS[4], KEYS[7], KEYS[2], taken)
else
  redis.call('LREM', KEYS[4], 0, ARGV[1])
end
local waiting = redis.call('LLEN', KEYS[4])
local version = redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[5], '*', 'type', 'booking.cancelled',
  'session', ARGV[2], 'booking', ARGV[1], 'promoted', promoted, 'taken', taken, 'seats', s[2],
  'waiting', waiting, 'by', ARGV[6])
redis.call('HSET', KEYS[2], 'version', version)
return {'ok', b[1], promoted, taken, waiting, version}
