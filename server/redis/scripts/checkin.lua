-- A founder (manage page) or the expert (dashboard) says the founder is here. Allowed for
-- a confirmed booking of an open session, once, from ARGV[3] seconds before the effective
-- start (start plus the minutes the expert runs late) until the session ends; the same
-- rule as domain/attendance_rules (may_check_in), decided here against the stored state.
-- The session counts its checked-in founders (the lobby's tick; no names), and counts the
-- founder as attended (the booking stays 'confirmed' until the expert marks it;
-- booking_attendance.lua knows a checked-in founder is counted already).
-- KEYS[1] booking hash  KEYS[2] change stream  KEYS[3] the session hash
-- ARGV[1] now  ARGV[2] by  ARGV[3] checkin open seconds  ARGV[4] stream max length
-- ARGV[5] session id
-- Returns {'ok', version} or {'err', code}.
local b = redis.call('HMGET', KEYS[1], 'status', 'session_id', 'checked_in_at')
if not b[1] then return {'err', 'unknown-booking'} end
if b[2] ~= ARGV[5] then return {'err', 'unknown-booking'} end
local s = redis.call('HMGET', KEYS[3], 'status', 'start', 'end', 'late_minutes')
if not s[1] then return {'err', 'unknown-session'} end
-- Open, or orphaned (outside the expert's changed hours, its bookings standing):
-- domain::takes_place.
if s[1] ~= 'open' and s[1] ~= 'orphaned' then return {'err', 'session-not-open'} end
if b[1] ~= 'confirmed' then return {'err', 'not-confirmed'} end
if b[3] and b[3] ~= '' then return {'err', 'already-checked-in'} end
local now = tonumber(ARGV[1])
if now >= tonumber(s[3]) then return {'err', 'session-over'} end
local start = tonumber(s[2]) + 60 * tonumber(s[4] or '0')
if now < start - tonumber(ARGV[3]) then return {'err', 'too-early'} end
redis.call('HSET', KEYS[1], 'checked_in_at', ARGV[1], 'checked_in_by', ARGV[2], 'updated_at', ARGV[1])
local count = redis.call('HINCRBY', KEYS[3], 'checked_in', 1)
redis.call('HINCRBY', KEYS[3], 'attended', 1)
local version = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', 'booking.checkin',
  'booking', redis.call('HGET', KEYS[1], 'id'), 'session', ARGV[5], 'checked_in', count, 'by', ARGV[2])
redis.call('HSET', KEYS[3], 'version', version)
return {'ok', version}
