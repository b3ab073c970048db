-- The expert says they are running late by N minutes (0 clears it); lobby screens and
-- founders' manage pages show it live, and the founders holding a seat get a message.
-- KEYS[1] session hash  KEYS[2] change stream  KEYS[3] its confirmed bookings set
-- KEYS[4] outbox  KEYS[5] outbox sequence  (see lib/outbox.lua)
-- ARGV[1] minutes  ARGV[2] now  ARGV[3] by  ARGV[4] stream max length  ARGV[5] session id
-- ARGV[6] webhooks on
--! include outbox
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'err', 'unknown-session'} end
if status ~= 'open' and status ~= 'orphaned' then return {'err', 'session-not-open'} end -- domain::takes_place
local before = tonumber(redis.call('HGET', KEYS[1], 'late_minutes') or '0')
redis.call('HSET', KEYS[1], 'late_minutes', ARGV[1])
local version = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', 'session.late',
  'session', ARGV[5], 'late_minutes', ARGV[1], 'by', ARGV[3])
redis.call('HSET', KEYS[1], 'version', version)
if tonumber(ARGV[1]) > 0 and tonumber(ARGV[1]) ~= before then
  for _, booking in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    outbox_add(tonumber(ARGV[2]), 'mail', 'late', booking, ARGV[1])
  end
end
return {'ok', version}
