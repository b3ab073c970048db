-- The expert ends their running session now ("end now"): its end becomes now (the
-- founders in it stay as they are: confirmed, checked in, attended). When the rest, from
-- now to the old end, is at least min_walkin long, it becomes a free slot for walk-ins in
-- the same step: a new open one-seat office-hour session of the same expert, camp and
-- room from now to the old end, marked `walkin_only` (book.lua refuses it to ordinary
-- bookings, as it has started; the walk-in queue offers it). It is indexed like every
-- session but belongs to no rule or event (no owner set), so re-expanding a rule never
-- removes it.
-- KEYS[1] session hash  KEYS[2] its confirmed-bookings set  KEYS[3] its waitlist
-- KEYS[4] change stream  KEYS[5] all sessions zset  KEYS[6] the camp's sessions zset
-- KEYS[7] the expert's sessions zset  KEYS[8] the rest's new session hash
-- then for each booking the caller found: its hash, its founder's zset (their entries
-- move to the new end, see lib/founder_entry.lua)
-- ARGV[1] now  ARGV[2] stream max length  ARGV[3] session id  ARGV[4] the rest's id
-- ARGV[5] min walk-in length (s)  ARGV[6] by (account id)
-- Returns {'ok', version, rest id or ''} or {'err', code}; 'retry' when the bookings
-- changed since the caller looked.
--! include founder_entry
local s = redis.call('HMGET', KEYS[1], 'status', 'start', 'end', 'late_minutes', 'taken', 'seats', 'expert_id',
  'camp_id', 'room_id', 'online_url', 'zone', 'title', 'topic', 'buffer', 'week')
if not s[1] then return {'err', 'unknown-session'} end
if s[1] ~= 'open' then return {'err', 'session-not-open'} end
local now = tonumber(ARGV[1])
local start, finish = tonumber(s[2]), tonumber(s[3])
-- Running: from the start plus the minutes the expert runs late until the end
-- (domain/walkin_rules.cpp may_end_early).
if now < start + 60 * tonumber(s[4] or '0') or now >= finish then return {'err', 'not-running'} end
local n = (#KEYS - 8) / 2
if redis.call('SCARD', KEYS[2]) + redis.call('LLEN', KEYS[3]) ~= n then return {'err', 'retry'} end
local rest = ''
if finish - now >= tonumber(ARGV[5]) then
  if redis.call('EXISTS', KEYS[8]) == 1 then return {'err', 'retry'} end
  rest = ARGV[4]
end

-- The session is over now: its running-late note goes with it (the lobby would otherwise
-- keep it on as running until the old end plus the late minutes).
redis.call('HSET', KEYS[1], 'end', ARGV[1], 'late_minutes', 0, 'ended_early_at', ARGV[1], 'ended_early_by', ARGV[6])
for i = 1, n do
  founder_entry_move_end(KEYS[7 + 2 * i], KEYS[8 + 2 * i], ARGV[3], ARGV[1])
end
local waiting = redis.call('LLEN', KEYS[3])
local version = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'type', 'session.ended_early',
  'session', ARGV[3], 'taken', s[5] or 0, 'seats', s[6] or 0, 'waiting', waiting, 'status', 'open',
  'late_minutes', 0, 'end', ARGV[1], 'walkin_session', rest, 'by', ARGV[6])
redis.call('HSET', KEYS[1], 'version', version)

if rest ~= '' then
  redis.call('HSET', KEYS[8], 'id', rest, 'kind', 'office_hour', 'owner_id', '', 'expert_id', s[7] or '',
    'camp_id', s[8] or '', 'room_id', s[9] or '', 'online_url', s[10] or '', 'zone', s[11] or '',
    'title', s[12] or '', 'topic', s[13] or '', 'buffer', s[14] or 0, 'week', s[15] or '',
    'start', ARGV[1], 'end', s[3], 'seats', 1, 'taken', 0, 'status', 'open', 'plan', '', 'busy', '0',
    'walkin_only', 1, 'walkin_from', ARGV[3])
  for z = 5, 7 do redis.call('ZADD', KEYS[z], now, rest) end
  local created = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'type', 'session.created',
    'session', rest, 'taken', 0, 'seats', 1, 'waiting', 0, 'status', 'open', 'walkin_from', ARGV[3], 'by', ARGV[6])
  redis.call('HSET', KEYS[8], 'version', created)
end
return {'ok', version, rest}
