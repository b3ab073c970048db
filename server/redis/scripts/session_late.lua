-- The expert says they are running late by N minutes (0 clears it); lobby screens and
-- founders' manage pages show it live.
-- KEYS[1] session hash  KEYS[2] change stream
-- ARGV[1] minutes  ARGV[2] now  ARGV[3] by  ARGV[4] stream max length  ARGV[5] session id
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'err', 'unknown-session'} end
if status ~= 'open' then return {'err', 'session-not-open'} end
redis.call('HSET', KEYS[1], 'late_minutes', ARGV[1])
local version = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', 'session.late',
  'session', ARGV[5], 'late_minutes', ARGV[1], 'by', ARGV[3])
redis.call('HSET', KEYS[1], 'version', version)
return {'ok', version}
