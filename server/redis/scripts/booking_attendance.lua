-- The expert records whether a founder came: 'attended' or 'no_show' (correctable). The
-- session keeps a count of each, which the hub statistics read. A founder who checked in
-- counts as attended already (checkin.lua), unless the expert says otherwise here.
-- KEYS[1] booking hash  KEYS[2] change stream  KEYS[3] the session hash
-- ARGV[1] status  ARGV[2] now  ARGV[3] by  ARGV[4] stream max length  ARGV[5] session id
-- Returns {'ok', version} or {'err', code}.
local b = redis.call('HMGET', KEYS[1], 'status', 'session_id', 'checked_in_at')
if not b[1] then return {'err', 'unknown-booking'} end
if b[2] ~= ARGV[5] then return {'err', 'unknown-booking'} end
if b[1] ~= 'confirmed' and b[1] ~= 'attended' and b[1] ~= 'no_show' then return {'err', 'not-confirmed'} end
if b[1] == ARGV[1] then return {'ok', ''} end
local counted = b[1]
if counted == 'confirmed' and b[3] and b[3] ~= '' then counted = 'attended' end
if counted ~= ARGV[1] then
  if counted ~= 'confirmed' then redis.call('HINCRBY', KEYS[3], counted, -1) end
  redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'attendance_by', ARGV[3], 'updated_at', ARGV[2])
local version = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', 'booking.attendance',
  'booking', redis.call('HGET', KEYS[1], 'id'), 'session', ARGV[5], 'attendance', ARGV[1], 'by', ARGV[3])
return {'ok', version}
