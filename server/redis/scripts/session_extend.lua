-- The expert extends their session by extend_by ("extend by 10 minutes"), only when no
-- later session of theirs that the extension reaches (open, ending after this one's end
-- and starting before the new end) has a booking or a waitlist; otherwise
-- 'next-session-booked' with that session's id, and nothing written. A free session the
-- extension reaches gives way in the same step: it starts at the new end when at least
-- min_walkin of it is left (a shorter slot is still a slot someone can take), else it is
-- closed (status cancelled; nobody was in it).
-- KEYS[1] session hash  KEYS[2] its confirmed-bookings set  KEYS[3] its waitlist
-- KEYS[4] change stream  KEYS[5] all sessions zset  KEYS[6] the expert's sessions zset
-- then for each of the expert's sessions starting from this one's start until before the
-- new end, as the caller read them (this one included): its hash, its waitlist, its
-- camp's sessions zset, its owner's sessions zset
-- then for each booking of this session the caller found: its hash, its founder's zset
-- (their entries move to the new end, see lib/founder_entry.lua)
-- ARGV[1] now  ARGV[2] stream max length  ARGV[3] session id  ARGV[4] extend_by (s)
-- ARGV[5] min walk-in length (s)  ARGV[6] by (account id)  ARGV[7] the end the caller saw
-- ARGV[8] R, the number of sessions the caller read  ARGV[9 .. 8+R] their ids, in order
-- Returns {'ok', version, new end} or {'err', code[, session id]}; 'retry' when the end,
-- the expert's sessions or the bookings changed since the caller looked.
--! include founder_entry
local s = redis.call('HMGET', KEYS[1], 'status', 'start', 'end', 'taken', 'seats')
if not s[1] then return {'err', 'unknown-session'} end
if s[1] ~= 'open' then return {'err', 'session-not-open'} end
local now = tonumber(ARGV[1])
local start, finish = tonumber(s[2]), tonumber(s[3])
if now >= finish then return {'err', 'session-over'} end
if s[3] ~= ARGV[7] then return {'err', 'retry'} end
local new_end = finish + tonumber(ARGV[4])
local r = tonumber(ARGV[8])
local reached = redis.call('ZRANGEBYSCORE', KEYS[6], start, '(' .. new_end)
if #reached ~= r then return {'err', 'retry'} end
for i = 1, r do
  if reached[i] ~= ARGV[8 + i] then return {'err', 'retry'} end
end
local b = (#KEYS - 6 - 4 * r) / 2
if redis.call('SCARD', KEYS[2]) + redis.call('LLEN', KEYS[3]) ~= b then return {'err', 'retry'} end

-- Check every reached session before writing anything.
local gives_way = {}
for i = 1, r do
  local id = ARGV[8 + i]
  if id ~= ARGV[3] then
    local base = 6 + 4 * (i - 1)
    local t = redis.call('HMGET', KEYS[base + 1], 'status', 'start', 'end', 'taken', 'seats')
    if t[1] == 'open' and tonumber(t[3]) > finish and tonumber(t[2]) < new_end then
      if tonumber(t[4] or '0') > 0 or redis.call('LLEN', KEYS[base + 2]) > 0 then
        return {'err', 'next-session-booked', id}
      end
      gives_way[#gives_way + 1] = {id = id, base = base, finish = tonumber(t[3]), seats = t[5] or 1}
    end
  end
end

for _, t in ipairs(gives_way) do
  local key = KEYS[t.base + 1]
  local v
  if t.finish - new_end >= tonumber(ARGV[5]) then
    redis.call('HSET', key, 'start', new_end)
    -- XX: only where it is listed (a walk-in rest has no owner's set).
    for _, z in ipairs({KEYS[5], KEYS[6], KEYS[t.base + 3], KEYS[t.base + 4]}) do
      redis.call('ZADD', z, 'XX', new_end, t.id)
    end
    v = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'type', 'session.shortened', 'session', t.id,
      'taken', 0, 'seats', t.seats, 'waiting', 0, 'status', 'open', 'start', new_end, 'for_session', ARGV[3],
      'by', ARGV[6])
  else
    redis.call('HSET', key, 'status', 'cancelled', 'cancelled_at', ARGV[1], 'closed_for', ARGV[3])
    v = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'type', 'session.closed', 'session', t.id,
      'taken', 0, 'seats', t.seats, 'waiting', 0, 'status', 'cancelled', 'for_session', ARGV[3], 'by', ARGV[6])
  end
  redis.call('HSET', key, 'version', v)
end

redis.call('HSET', KEYS[1], 'end', tostring(new_end), 'extended_at', ARGV[1], 'extended_by', ARGV[6])
local first_booking = 7 + 4 * r
for i = 0, b - 1 do
  founder_entry_move_end(KEYS[first_booking + 2 * i], KEYS[first_booking + 2 * i + 1], ARGV[3], new_end)
end
local version = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[2], '*', 'type', 'session.extended',
  'session', ARGV[3], 'taken', s[4] or 0, 'seats', s[5] or 0, 'waiting', redis.call('LLEN', KEYS[3]),
  'status', 'open', 'end', new_end, 'by', ARGV[6])
redis.call('HSET', KEYS[1], 'version', version)
return {'ok', version, tostring(new_end)}
