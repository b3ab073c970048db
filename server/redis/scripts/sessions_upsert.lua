-- Brings the future sessions of one owner (an office-hour rule or an event) in line
-- with its plan, idempotently: new slots are created, changed ones updated, and future
-- sessions no longer in the plan are deleted when nobody booked or waits for them, or
-- else marked 'orphaned' (never silently dropped: their founders still hold a seat).
-- Sessions that already started are never touched.
--
-- KEYS[1] owner's sessions zset   KEYS[2] all sessions zset   KEYS[3] camp's sessions zset
-- KEYS[4] expert's sessions zset  KEYS[5] change stream
-- KEYS[6 .. 5+N]          the planned session hashes
-- KEYS[6+N .. 5+N+2M]     for each future session the caller saw: its hash, its waitlist
-- KEYS[6+N+2M]            the expert's busy times: a created or moved session is marked
--                         busy or free in the same step (lib/busy.lua)
-- ARGV[1] now  ARGV[2] stream max length  ARGV[3] N  ARGV[4] M  ARGV[5] C (common fields)
-- ARGV[6 .. 5+2C]             common field, value pairs (kind, expert_id, camp_id, buffer, ...)
-- then N times: id, start, end, seats, week, plan hash
-- then M times: id of a future session the caller saw
-- Returns {'ok', created, updated, removed, orphaned} or {'err', 'retry'} when the
-- owner's future sessions changed since the caller looked.
--! include busy
local now = tonumber(ARGV[1])
local maxlen = ARGV[2]
local n, m, c = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local common = {}
for i = 6, 5 + 2 * c do common[#common + 1] = ARGV[i] end
local plan_base = 6 + 2 * c
local buffer = 0
for i = 1, #common - 1, 2 do
  if common[i] == 'buffer' then buffer = tonumber(common[i + 1]) or 0 end
end
local spans = busy_spans(KEYS[#KEYS])
local seen_base = plan_base + 6 * n

local current = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
if #current ~= m then return {'err', 'retry'} end
local seen = {}
for j = 0, m - 1 do seen[ARGV[seen_base + j]] = j end
for _, id in ipairs(current) do
  if seen[id] == nil then return {'err', 'retry'} end
end

local function log(kind, id, taken, seats, status)
  local v = redis.call('XADD', KEYS[5], 'MAXLEN', '~', maxlen, '*', 'type', kind, 'session', id,
    'taken', taken, 'seats', seats, 'status', status)
  return v
end

local created, updated, removed, orphaned = 0, 0, 0, 0
local planned = {}
for i = 0, n - 1 do
  local a = plan_base + 6 * i
  local id, start, finish, seats, week, plan = ARGV[a], ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3]), ARGV[a + 4], ARGV[a + 5]
  local key = KEYS[6 + i]
  planned[id] = true
  if tonumber(start) > now then
    local cur = redis.call('HMGET', key, 'plan', 'status', 'taken')
    if not cur[2] then
      redis.call('HSET', key, 'id', id, 'start', start, 'end', finish, 'seats', seats, 'week', week,
        'taken', 0, 'status', 'open', 'plan', plan, unpack(common))
      redis.call('HSET', key, 'busy', busy_clash(spans, start, finish, buffer) and '1' or '0')
      for z = 1, 4 do redis.call('ZADD', KEYS[z], start, id) end
      redis.call('HSET', key, 'version', log('session.created', id, 0, seats, 'open'))
      created = created + 1
    elseif cur[1] ~= plan or cur[2] == 'orphaned' then
      local taken = tonumber(cur[3])
      if seats < taken then seats = taken end -- never below the seats already booked
      local status = cur[2] == 'cancelled' and 'cancelled' or 'open'
      redis.call('HSET', key, 'start', start, 'end', finish, 'week', week, 'seats', seats, 'plan', plan,
        'status', status, unpack(common))
      redis.call('HSET', key, 'busy', busy_clash(spans, start, finish, buffer) and '1' or '0')
      for z = 1, 4 do redis.call('ZADD', KEYS[z], start, id) end -- an event may move
      redis.call('HSET', key, 'version', log('session.updated', id, taken, seats, status))
      updated = updated + 1
    end
  end
end

for j = 0, m - 1 do
  local id = ARGV[seen_base + j]
  if not planned[id] then
    local key, waitlist = KEYS[6 + n + 2 * j], KEYS[7 + n + 2 * j]
    local cur = redis.call('HMGET', key, 'taken', 'seats', 'status', 'camp_id', 'expert_id', 'start', 'end', 'zone', 'kind')
    local taken = tonumber(cur[1] or '0')
    if taken == 0 and redis.call('LLEN', waitlist) == 0 then
      redis.call('DEL', key)
      for z = 1, 4 do redis.call('ZREM', KEYS[z], id) end
      -- The record is gone: the entry keeps what live views need to drop it.
      redis.call('XADD', KEYS[5], 'MAXLEN', '~', maxlen, '*', 'type', 'session.removed', 'session', id,
        'taken', 0, 'seats', cur[2] or 0, 'status', 'removed', 'camp_id', cur[4] or '', 'expert_id', cur[5] or '',
        'start', cur[6] or 0, 'end', cur[7] or 0, 'zone', cur[8] or '', 'kind', cur[9] or '')
      removed = removed + 1
    elseif cur[3] == 'open' then
      redis.call('HSET', key, 'status', 'orphaned')
      redis.call('HSET', key, 'version', log('session.orphaned', id, taken, cur[2], 'orphaned'))
      orphaned = orphaned + 1
    end
  end
end
return {'ok', created, updated, removed, orphaned}
