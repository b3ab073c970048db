-- The expert records whether a founder came: 'attended' or 'no_show' (correctable). The
-- session keeps a count of each, which the hub statistics read. A founder who checked in
-- counts as attended already (checkin.lua), unless the expert says otherwise here.
-- A released no-show (release.lua) is on the founder's record for the no-show limit: marked
-- attended after all (the founder came late), it comes off that record; marked a no-show
-- again, it goes back on, counting until the date the release gave it.
-- KEYS[1] booking hash  KEYS[2] change stream  KEYS[3] the session hash
-- KEYS[4] the founder's no-shows zset (the booking hash when the founder is erased)
-- ARGV[1] status  ARGV[2] now  ARGV[3] by  ARGV[4] stream max length  ARGV[5] session id
-- ARGV[6] the founder key the caller saw ('' when erased)
-- Returns {'ok', version} or {'err', code}; {'err', 'retry'} when the founder key changed.
--! include no_show_record
local b = redis.call('HMGET', KEYS[1], 'status', 'session_id', 'checked_in_at', 'released_at', 'founder_key',
  'no_show_counts_until')
if not b[1] then return {'err', 'unknown-booking'} end
if b[2] ~= ARGV[5] then return {'err', 'unknown-booking'} end
if (b[5] or '') ~= ARGV[6] then return {'err', 'retry'} end
if b[1] ~= 'confirmed' and b[1] ~= 'attended' and b[1] ~= 'no_show' then return {'err', 'not-confirmed'} end
if b[1] == ARGV[1] then return {'ok', ''} end
local counted = b[1]
if counted == 'confirmed' and b[3] and b[3] ~= '' then counted = 'attended' end
if counted ~= ARGV[1] then
  if counted ~= 'confirmed' then redis.call('HINCRBY', KEYS[3], counted, -1) end
  redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'attendance_by', ARGV[3], 'updated_at', ARGV[2])
if b[4] and b[4] ~= '' and ARGV[6] ~= '' then
  local id = redis.call('HGET', KEYS[1], 'id')
  local counts_until = tonumber(b[6] or '')
  if ARGV[1] == 'no_show' then
    if counts_until and counts_until > tonumber(ARGV[2]) then no_show_record_add(KEYS[4], id, counts_until) end
  else
    -- Released before bookings kept the date: keep the record's, for a later re-mark.
    if not counts_until then
      local score = redis.call('ZSCORE', KEYS[4], id)
      if score then redis.call('HSET', KEYS[1], 'no_show_counts_until', score) end
    end
    redis.call('ZREM', KEYS[4], id)
  end
end
local version = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'type', 'booking.attendance',
  'booking', redis.call('HGET', KEYS[1], 'id'), 'session', ARGV[5], 'attendance', ARGV[1], 'by', ARGV[3])
return {'ok', version}
