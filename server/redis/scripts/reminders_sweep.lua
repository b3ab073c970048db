-- Queues the reminders of one lead time (e.g. 60 minutes before) for the sessions that
-- entered its window since the last sweep, exactly once across instances: the caller
-- read the cursor and the bookings; the cursor moves only if nobody moved it meanwhile.
-- A booking cancelled (or moved) before its reminder is due is simply not confirmed
-- in that session any more, so its reminder is never queued.
-- KEYS[1] cursor hash  KEYS[2..] booking hashes  then the outbox and its sequence
-- ARGV[1] lead time (minutes)  ARGV[2] cursor the caller read ('' = none)  ARGV[3] new cursor
-- ARGV[4] now  ARGV[5..] per booking: its id, the session it must still be in
-- last ARGV: webhooks on (unused)
-- Returns {'ok', reminders queued} or {'err', 'retry'}.
--! include outbox
local current = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if current ~= ARGV[2] then return {'err', 'retry'} end
local queued = 0
for i = 2, #KEYS - 2 do
  local id, session = ARGV[5 + 2 * (i - 2)], ARGV[6 + 2 * (i - 2)]
  local b = redis.call('HMGET', KEYS[i], 'status', 'session_id')
  if b[1] == 'confirmed' and b[2] == session then
    outbox_add(tonumber(ARGV[4]), 'mail', 'reminder', id, ARGV[1])
    queued = queued + 1
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return {'ok', queued}
