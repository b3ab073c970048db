-- A founder joins a camp's walk-in queue: a new entry with the next ticket of the camp
-- (a small number for the lobby's screen; it starts again at 1 when the queue is empty)
-- and the hash of the entry's secret page token. The entry keeps only what offering a
-- slot needs plus the name the expert calls out; the e-mail only when given (for the
-- confirmation of a claimed slot and the founder's erasure).
-- KEYS[1] camp hash  KEYS[2] camp's queue zset  KEYS[3] camp's ticket counter
-- KEYS[4] new entry hash  KEYS[5] token -> entry id  KEYS[6] every entry by join time
-- KEYS[7] the founder's walk-in set (the entry key itself when no e-mail)  KEYS[8] change stream
-- ARGV[1] entry id  ARGV[2] now  ARGV[3] camp id  ARGV[4] name  ARGV[5] email ('' none)
-- ARGV[6] topic  ARGV[7] lang  ARGV[8] token hash  ARGV[9] queue max  ARGV[10] stream max length
-- ARGV[11] founder key ('' when no e-mail)
-- ARGV[12] the hash of the manage token a booking of this entry will have
-- ARGV[13] that manage token, sealed with the page's token (only the page can open it)
-- Returns {'ok', ticket, position, version} or {'err', code}.
if redis.call('EXISTS', KEYS[1]) == 0 then return {'err', 'unknown-camp'} end
local size = redis.call('ZCARD', KEYS[2])
if size >= tonumber(ARGV[9]) then return {'err', 'queue-full'} end
if size == 0 then redis.call('SET', KEYS[3], 0) end
local ticket = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[4], 'id', ARGV[1], 'camp', ARGV[3], 'ticket', ticket, 'name', ARGV[4], 'email', ARGV[5],
  'topic', ARGV[6], 'lang', ARGV[7], 'state', 'waiting', 'joined_at', ARGV[2], 'token_hash', ARGV[8],
  'founder_key', ARGV[11], 'declined', '', 'manage_hash', ARGV[12], 'sealed_manage', ARGV[13])
redis.call('SET', KEYS[5], ARGV[1])
redis.call('ZADD', KEYS[2], ticket, ARGV[1])
redis.call('ZADD', KEYS[6], tonumber(ARGV[2]), ARGV[1])
if ARGV[11] ~= '' then redis.call('SADD', KEYS[7], ARGV[1]) end
local position = redis.call('ZRANK', KEYS[2], ARGV[1]) + 1
local version = redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[10], '*', 'type', 'walkin.joined',
  'camp', ARGV[3], 'walkin', ARGV[1], 'ticket', ticket, 'queue', size + 1)
return {'ok', ticket, position, version}
