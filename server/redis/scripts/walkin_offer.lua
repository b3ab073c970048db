-- Offers a session's free seat to a walk-in founder. The caller picked the candidate
-- with domain::next_in_line (topic fit, sessions the founder declined skipped) and
-- passes the ids of the waiting founders it passed over; here every condition is
-- checked against the stored state, so two instances never offer one seat twice and the
-- queue's order holds: the session is open, not over, in the entry's camp, has a free
-- seat, nobody on its waitlist and no open offer; the candidate waits without an offer
-- and did not decline this session; every founder ahead of the candidate who holds no
-- offer is among those passed over (else 'retry': read again).
-- KEYS[1] session hash  KEYS[2] session's waitlist  KEYS[3] camp's queue
-- KEYS[4] candidate's entry hash  KEYS[5] open offers zset  KEYS[6] change stream
-- ARGV[1] session id  ARGV[2] entry id  ARGV[3] now  ARGV[4] offer deadline (epoch s)
-- ARGV[5] stream max length  ARGV[6..] the ids passed over
-- Returns {'ok', ticket, version} or {'err', code}.
local s = redis.call('HMGET', KEYS[1], 'status', 'end', 'seats', 'taken', 'camp_id', 'offer_entry', 'busy')
if not s[1] then return {'err', 'unknown-session'} end
if s[1] ~= 'open' then return {'err', 'session-not-open'} end
if tonumber(ARGV[3]) >= tonumber(s[2]) then return {'err', 'session-over'} end
if s[7] == '1' then return {'err', 'expert-busy'} end
if s[6] and s[6] ~= '' then return {'err', 'offer-open'} end
local seats, taken = tonumber(s[3]), tonumber(s[4])
local waiting = redis.call('LLEN', KEYS[2])
if taken >= seats or waiting > 0 then return {'err', 'full'} end
local w = redis.call('HMGET', KEYS[4], 'state', 'camp', 'declined', 'ticket')
if not w[1] then return {'err', 'retry'} end
if w[1] ~= 'waiting' or w[2] ~= s[5] then return {'err', 'retry'} end
for d in string.gmatch(w[3] or '', '%S+') do
  if d == ARGV[1] then return {'err', 'retry'} end
end
if redis.call('ZSCORE', KEYS[5], ARGV[2]) then return {'err', 'retry'} end
local rank = redis.call('ZRANK', KEYS[3], ARGV[2])
if not rank then return {'err', 'retry'} end
local passed = {}
for i = 6, #ARGV do passed[ARGV[i]] = true end
if rank > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, rank - 1)) do
    if not passed[id] and not redis.call('ZSCORE', KEYS[5], id) then return {'err', 'retry'} end
  end
end
redis.call('HSET', KEYS[4], 'state', 'offered', 'offer_session', ARGV[1], 'offer_until', ARGV[4])
redis.call('HSET', KEYS[1], 'offer_entry', ARGV[2], 'offer_ticket', w[4], 'offer_until', ARGV[4])
redis.call('ZADD', KEYS[5], tonumber(ARGV[4]), ARGV[2])
local version = redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[5], '*', 'type', 'walkin.offered',
  'camp', s[5], 'walkin', ARGV[2], 'ticket', w[4], 'until', ARGV[4],
  'session', ARGV[1], 'taken', taken, 'seats', seats, 'waiting', waiting)
redis.call('HSET', KEYS[1], 'version', version)
return {'ok', w[4], version}
