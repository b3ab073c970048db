-- Moves a confirmed booking to another session of the same expert, atomically: the
-- booking keeps its id and manage link, the old seat is freed (and goes to the old
-- session's waitlist head, in the same step), the new seat is taken. If the target is
-- full, not open, or the move would break a founder limit, nothing changes. A founder who
-- checked in (checkin.lua) is in the room: that booking stays where it is ('checked-in').
--
-- KEYS[1] booking hash       KEYS[2] old session hash   KEYS[3] old bookings set
-- KEYS[4] old waitlist       KEYS[5] booking hash of the old waitlist head (any key when none)
-- KEYS[6] new session hash   KEYS[7] new bookings set   KEYS[8] new waitlist
-- KEYS[9] founder zset       KEYS[10] change stream
-- KEYS[11] outbox  KEYS[12] outbox sequence  (see lib/outbox.lua; last ARGV: webhooks on)
-- ARGV[1] booking id  ARGV[2] old session id  ARGV[3] new session id  ARGV[4] now
-- ARGV[5] min notice  ARGV[6] horizon  ARGV[7] max per expert per week  ARGV[8] forbid overlap
-- ARGV[9] old waitlist head the caller saw ('' = empty)  ARGV[10] stream max length
-- Returns {'ok', promoted or '', old taken, new taken, version} or {'err', code}.
--! include outbox
--! include seat
--! include founder_entry
local now = tonumber(ARGV[4])
local b = redis.call('HMGET', KEYS[1], 'status', 'session_id', 'founder_entry', 'checked_in_at')
if not b[1] then return {'err', 'unknown-booking'} end
if b[2] ~= ARGV[2] then return {'err', 'retry'} end
if b[1] ~= 'confirmed' then return {'err', 'not-confirmed'} end
if b[4] and b[4] ~= '' then return {'err', 'checked-in'} end
if ARGV[2] == ARGV[3] then return {'err', 'same-session'} end
local old = redis.call('HMGET', KEYS[2], 'start', 'seats', 'taken', 'expert_id')
if tonumber(old[1]) <= now then return {'err', 'in-past'} end

local s = redis.call('HMGET', KEYS[6], 'status', 'start', 'end', 'seats', 'taken', 'expert_id', 'week', 'busy',
  'offer_entry')
if not s[1] then return {'err', 'unknown-session'} end
-- A booking moves only within one expert's sessions; a place in an event without a
-- host has no expert to move within.
if not old[4] or old[4] == '' or s[6] ~= old[4] then return {'err', 'different-expert'} end
if s[1] ~= 'open' then return {'err', 'session-not-open'} end
local start, finish = tonumber(s[2]), tonumber(s[3])
if start <= now then return {'err', 'in-past'} end
if start < now + tonumber(ARGV[5]) then return {'err', 'too-soon'} end
if start > now + tonumber(ARGV[6]) then return {'err', 'beyond-horizon'} end
if s[8] == '1' then return {'err', 'expert-busy'} end -- kept in step with the busy times (lib/busy.lua)
-- A seat offered to a walk-in founder (walkin_offer.lua) is theirs until the offer ends.
local offered = (s[9] and s[9] ~= '') and 1 or 0
if tonumber(s[5]) >= tonumber(s[4]) or redis.call('LLEN', KEYS[8]) > 0 then return {'err', 'full'} end
if tonumber(s[5]) + offered >= tonumber(s[4]) then return {'err', 'walkin-offer'} end

-- Limits as if this booking were already gone: the count of upcoming bookings does not
-- change, so only the week limit and overlaps can forbid the move.
local entries = redis.call('ZRANGEBYSCORE', KEYS[9], '(' .. now, '+inf')
local same_week, overlap, same_session =
  founder_entries_against(entries, ARGV[3], s[6] or '', s[7] or '', start, finish, b[3])
if same_session then return {'err', 'already-booked'} end
if same_week >= tonumber(ARGV[7]) then return {'err', 'expert-week-limit'} end
if ARGV[8] == '1' and overlap then return {'err', 'overlap'} end
local head = redis.call('LINDEX', KEYS[4], 0) or ''
if head ~= ARGV[9] then return {'err', 'retry'} end

-- Free the old seat (or hand it to the old session's waitlist head).
redis.call('SREM', KEYS[3], ARGV[1])
local promoted, old_taken = seat_pass_on(now, head, KEYS[3], KEYS[4], KEYS[5], KEYS[2], tonumber(old[3]))
-- Take the new seat.
redis.call('SADD', KEYS[7], ARGV[1])
local new_taken = redis.call('HINCRBY', KEYS[6], 'taken', 1)
local entry = founder_entry_encode(ARGV[1], ARGV[3], s[6], s[2], s[3], s[7])
redis.call('ZREM', KEYS[9], b[3])
redis.call('ZADD', KEYS[9], finish, entry)
redis.call('HSET', KEYS[1], 'session_id', ARGV[3], 'founder_entry', entry, 'updated_at', now,
  'rescheduled_from', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'sequence', 1)
notify(now, 'rescheduled', ARGV[1], 'booking.rescheduled')
local version = redis.call('XADD', KEYS[10], 'MAXLEN', '~', ARGV[10], '*', 'type', 'booking.rescheduled',
  'booking', ARGV[1], 'session', ARGV[3], 'taken', new_taken, 'seats', s[4],
  'from_session', ARGV[2], 'from_taken', old_taken, 'from_seats', old[2], 'promoted', promoted)
redis.call('HSET', KEYS[2], 'version', version)
redis.call('HSET', KEYS[6], 'version', version)
return {'ok', promoted, old_taken, new_taken, version}
