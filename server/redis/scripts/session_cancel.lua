-- An expert or admin cancels a session: every confirmed and waitlisted booking of it is
-- cancelled (with the message for the founders), the seats are released, the session
-- is marked cancelled, and one change-log entry records it. Cancelling twice is a no-op.
-- KEYS[1] session hash  KEYS[2] its bookings set  KEYS[3] its waitlist  KEYS[4] change stream
-- then for each booking the caller found: its hash, its founder's zset
-- then the outbox and its sequence (see lib/outbox.lua; last ARGV: webhooks on)
-- ARGV[1] now  ARGV[2] stream max length  ARGV[3] message  ARGV[4] by (account id)
-- ARGV[5] session id  ARGV[6..] the booking ids, in the order of their KEYS
-- Returns {'ok', bookings cancelled, version} or {'err', code}; 'retry' when the
-- bookings changed since the caller looked.
--! include outbox
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'err', 'unknown-session'} end
if status == 'cancelled' then return {'ok', 0, ''} end
local n = (#KEYS - 6) / 2
if redis.call('SCARD', KEYS[2]) + redis.call('LLEN', KEYS[3]) ~= n then return {'err', 'retry'} end
local now = ARGV[1]
for i = 1, n do
  local booking, founder = KEYS[3 + 2 * i], KEYS[4 + 2 * i]
  local entry = redis.call('HGET', booking, 'founder_entry')
  if entry then redis.call('ZREM', founder, entry) end
  redis.call('HSET', booking, 'status', 'cancelled', 'cancelled_at', now, 'cancelled_by', ARGV[4],
    'cancel_message', ARGV[3], 'updated_at', now)
  redis.call('HINCRBY', booking, 'sequence', 1)
  notify(now, 'session_cancelled', ARGV[5 + i], 'booking.cancelled')
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'taken', 0, 'cancel_message', ARGV[3], 'cancelled_at', now)
local seats = redis.call('HGET', KEYS[1], 'seats')
local version = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'type', 'session.cancelled',
  'session', ARGV[5], 'taken', 0, 'seats', seats, 'waiting', 0, 'status', 'cancelled', 'bookings', n,
  'by', ARGV[4])
redis.call('HSET', KEYS[1], 'version', version)
return {'ok', n, version}
