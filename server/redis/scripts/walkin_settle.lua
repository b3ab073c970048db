-- Ends a walk-in founder's open offer without a booking: the founder declines it (stays
-- in the queue; that session is not offered to them again) or its deadline passed
-- (the entry expires and leaves the queue; the founder's page offers to join again).
-- Either way the session's offer fields are cleared and the seat is free for the next.
-- KEYS[1] entry hash  KEYS[2] camp's queue  KEYS[3] open offers zset
-- KEYS[4] the offer's session hash (as the caller read it)  KEYS[5] its waitlist
-- KEYS[6] change stream
-- ARGV[1] mode ('decline' | 'expire')  ARGV[2] entry id  ARGV[3] now
-- ARGV[4] the offer's session the caller read  ARGV[5] stream max length
-- Returns {'ok', version} or {'err', code}: 'no-offer' (none open), 'not-due' (an
-- expiry before the deadline), 'offer-expired' (a decline after it), 'retry'.
local w = redis.call('HMGET', KEYS[1], 'state', 'offer_session', 'offer_until', 'camp', 'declined', 'ticket')
if not w[1] then return {'err', 'unknown-walkin'} end
if w[1] ~= 'offered' then return {'err', 'no-offer'} end
if w[2] ~= ARGV[4] then return {'err', 'retry'} end
local now, deadline = tonumber(ARGV[3]), tonumber(w[3])
local expire = ARGV[1] == 'expire'
if expire and now < deadline then return {'err', 'not-due'} end
if not expire and now >= deadline then return {'err', 'offer-expired'} end
redis.call('HDEL', KEYS[1], 'offer_session', 'offer_until')
if expire then
  redis.call('HSET', KEYS[1], 'state', 'expired', 'expired_at', ARGV[3])
  redis.call('ZREM', KEYS[2], ARGV[2])
else
  local declined = w[5] or ''
  if declined ~= '' then declined = declined .. ' ' end
  redis.call('HSET', KEYS[1], 'state', 'waiting', 'declined', declined .. ARGV[4])
end
redis.call('ZREM', KEYS[3], ARGV[2])
if redis.call('HGET', KEYS[4], 'offer_entry') == ARGV[2] then
  redis.call('HDEL', KEYS[4], 'offer_entry', 'offer_ticket', 'offer_until')
end
local s = redis.call('HMGET', KEYS[4], 'taken', 'seats')
local version = redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[5], '*',
  'type', expire and 'walkin.expired' or 'walkin.declined', 'camp', w[4], 'walkin', ARGV[2], 'ticket', w[6],
  'session', ARGV[4], 'taken', s[1] or '0', 'seats', s[2] or '0', 'waiting', redis.call('LLEN', KEYS[5]))
if s[1] then redis.call('HSET', KEYS[4], 'version', version) end
return {'ok', version}
