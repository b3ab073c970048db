-- Releases a no-show: a confirmed founder who has not checked in `release after` seconds
-- after the effective start (start plus the minutes the expert runs late; for a founder
-- who got the seat after that, moved up from the waitlist or a walk-in, the late-seat
-- grace from when they got it), until the session ends; the rule of
-- domain/attendance_rules (may_release), decided here against the stored state, so a
-- release racing a late check-in (checkin.lua) has exactly one winner. The booking
-- becomes 'no_show' (counted on the session like the expert's mark), the founder is told
-- by e-mail, the no-show is recorded for the founder's no-show limit (scored by when it
-- stops counting), and the seat goes, in the same step, to the head of the session's
-- waitlist exactly as cancel.lua hands it on. A seat nobody waited for stays free: the
-- change-log entry says so (`free` = 1), which is where a walk-in offer can pick it up.
-- The released booking stays in the session's bookings set, like one the expert marked:
-- the expert's roster keeps showing the no-show; seats count by `taken`.
--
-- KEYS[1] booking hash        KEYS[2] session hash   KEYS[3] session's bookings set
-- KEYS[4] session's waitlist  KEYS[5] booking hash of the waitlist head the caller saw
-- (any key when none)         KEYS[6] founder zset   KEYS[7] founder's no-shows zset
-- KEYS[8] change stream
-- KEYS[9] outbox  KEYS[10] outbox sequence  (see lib/outbox.lua; last ARGV: webhooks on)
-- ARGV[1] booking id  ARGV[2] session id  ARGV[3] now  ARGV[4] release after (s)
-- ARGV[5] waitlist head the caller saw ('' = empty)  ARGV[6] stream max length
-- ARGV[7] by ('auto' or the expert's account id)
-- ARGV[8] until when this no-show counts for the founder's limit (epoch s)
-- ARGV[9] the founder key the caller saw ('' when erased)
-- ARGV[10] late-seat grace (s): what a founder seated after the start has from then
-- Returns {'ok', promoted booking id or '', taken, waiting, version}
--      or {'err', code}; {'err', 'retry'} when the waitlist head moved (call again).
--! include outbox
--! include seat
--! include no_show_record
local b = redis.call('HMGET', KEYS[1], 'status', 'session_id', 'founder_entry', 'checked_in_at', 'founder_key',
  'released_at', 'promoted_at', 'walkin', 'created_at')
if not b[1] then return {'err', 'unknown-booking'} end
if b[2] ~= ARGV[2] then return {'err', 'retry'} end
local s = redis.call('HMGET', KEYS[2], 'status', 'start', 'end', 'late_minutes', 'seats', 'taken')
if not s[1] then return {'err', 'unknown-session'} end
if s[1] ~= 'open' and s[1] ~= 'orphaned' then return {'err', 'session-not-open'} end -- domain::takes_place
if b[6] and b[6] ~= '' then return {'err', 'already-released'} end
if b[1] ~= 'confirmed' then return {'err', 'not-confirmed'} end
if b[4] and b[4] ~= '' then return {'err', 'checked-in'} end
local now = tonumber(ARGV[3])
if now >= tonumber(s[3]) then return {'err', 'session-over'} end
-- A founder who got the seat after the start (moved up, or a walk-in: the booking was made
-- then) has the late-seat grace from then (domain/attendance_rules: release_due).
local start = tonumber(s[2]) + 60 * tonumber(s[4] or '0')
local seated = tonumber(b[7] or '0')
if (b[8] or '') ~= '' then seated = math.max(seated, tonumber(b[9] or '0')) end
local due = start + tonumber(ARGV[4])
if seated > start then due = seated + tonumber(ARGV[10]) end
if now < due then return {'err', 'not-due'} end
local head = redis.call('LINDEX', KEYS[4], 0) or ''
if head ~= ARGV[5] then return {'err', 'retry'} end
if (b[5] or '') ~= ARGV[9] then return {'err', 'retry'} end

redis.call('HSET', KEYS[1], 'status', 'no_show', 'released_at', now, 'released_by', ARGV[7],
  'attendance_by', ARGV[7], 'updated_at', now)
redis.call('HINCRBY', KEYS[1], 'sequence', 1)
redis.call('HINCRBY', KEYS[2], 'no_show', 1)
if b[3] then redis.call('ZREM', KEYS[6], b[3]) end
if ARGV[9] ~= '' then
  -- Booking ids only; the key goes when its newest no-show stops counting. The booking
  -- keeps the date too: an expert who corrects the mark (booking_attendance.lua) takes the
  -- no-show off the founder's record, and puts it back if they correct it again.
  redis.call('HSET', KEYS[1], 'no_show_counts_until', ARGV[8])
  no_show_record_add(KEYS[7], ARGV[1], tonumber(ARGV[8]))
end
notify(now, 'released', ARGV[1], 'booking.released')
local promoted, taken = seat_pass_on(now, head, KEYS[3], KEYS[4], KEYS[5], KEYS[2], tonumber(s[6]))
local waiting = redis.call('LLEN', KEYS[4])
-- The seat is free now when nobody waited for it: a walk-in offer starts from here.
local version = redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[6], '*', 'type', 'booking.released',
  'session', ARGV[2], 'booking', ARGV[1], 'promoted', promoted, 'taken', taken, 'seats', s[5],
  'waiting', waiting, 'free', promoted == '' and '1' or '0', 'by', ARGV[7])
redis.call('HSET', KEYS[2], 'version', version)
return {'ok', promoted, taken, waiting, version}
