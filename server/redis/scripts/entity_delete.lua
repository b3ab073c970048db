-- Deletes one record and removes it from its index sets, with a change-log entry, unless
-- something still uses it: each guard key must be empty (a set or list) or hold no
-- member scored after `now` (a sorted set of sessions by start).
-- KEYS[1] record hash  KEYS[2] change stream  KEYS[3 .. 2+ARGV[5]] index sets
-- KEYS[3+ARGV[5] .. 2+ARGV[5]+ARGV[7]] keys the record owns, deleted with it (an expert's photo and calendars)
-- then the guard keys
-- ARGV[1] id  ARGV[2] change type  ARGV[3] stream max length  ARGV[4] by
-- ARGV[5] number of index sets  ARGV[6] now (epoch s)  ARGV[7] number of owned keys
-- ARGV[8..] a name per guard key
-- Returns {'ok', version}, {'err', 'unknown'} or {'err', 'in-use', guard name}.
if redis.call('EXISTS', KEYS[1]) == 0 then return {'err', 'unknown'} end
local n_index = tonumber(ARGV[5])
local n_owned = tonumber(ARGV[7])
local first_guard = 3 + n_index + n_owned
for i = first_guard, #KEYS do
  local kind = redis.call('TYPE', KEYS[i])['ok']
  local used = false
  if kind == 'set' then used = redis.call('SCARD', KEYS[i]) > 0
  elseif kind == 'list' then used = redis.call('LLEN', KEYS[i]) > 0
  elseif kind == 'zset' then used = redis.call('ZCOUNT', KEYS[i], '(' .. ARGV[6], '+inf') > 0
  elseif kind ~= 'none' then used = true end
  if used then return {'err', 'in-use', ARGV[8 + i - first_guard]} end
end
redis.call('DEL', KEYS[1])
for i = 3, 2 + n_index do redis.call('SREM', KEYS[i], ARGV[1]) end
for i = 3 + n_index, first_guard - 1 do redis.call('DEL', KEYS[i]) end
local version = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'type', ARGV[2], 'id', ARGV[1],
  'by', ARGV[4])
return {'ok', version}
