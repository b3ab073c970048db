-- Books one seat of a session for a founder, or joins its waitlist, atomically: every
-- check of the booking policy that depends on shared state happens here, next to the
-- write, so racing requests for the last seat produce exactly `seats` bookings.
-- Nothing is written unless every check passes.
--
-- KEYS[1] session hash            KEYS[2] session's confirmed-bookings set
-- KEYS[3] session's waitlist list KEYS[4] founder's upcoming-bookings zset
-- KEYS[5] new booking hash        KEYS[6] token -> booking id (string)
-- KEYS[7] idempotency record hash KEYS[8] change stream
-- KEYS[9] founder's set of every booking (for export and erasure)
-- KEYS[10] bookings holding personal data, scored by session end (for the retention)
-- KEYS[11] founder's released no-shows, scored by when each stops counting (release.lua)
-- KEYS[12] the walk-in entry (claim, callin; any key otherwise)  KEYS[13] its camp's queue
-- KEYS[14] open walk-in offers zset
-- KEYS[15] outbox  KEYS[16] outbox sequence  (see lib/outbox.lua; last ARGV: webhooks on)
-- ARGV[1] mode ('book' | 'waitlist' | 'claim' | 'callin')
--   claim: a walk-in founder takes the seat offered to them (walkin_offer.lua) before
--   its deadline; callin: the session's expert calls a waiting walk-in founder in to a
--   free seat. Both are bookings like any other, but the session may have started
--   (minimum notice, in-past and horizon do not apply; it must not be over), and the
--   founder limits apply only when the founder gave an e-mail.
--                                      ARGV[2] booking id      ARGV[3] session id
-- ARGV[4] now (epoch s)                ARGV[5] min notice (s)  ARGV[6] horizon (s)
-- ARGV[7] max upcoming per founder     ARGV[8] max per expert per week
-- ARGV[9] forbid overlap (1/0)         ARGV[10] max waitlist length
-- ARGV[11] token hash                  ARGV[12] request hash ('' = no idempotency key)
-- ARGV[13] sealed token (for replays)  ARGV[14] idempotency TTL (s)
-- ARGV[15] stream max length
-- ARGV[16] name  ARGV[17] email  ARGV[18] start-up  ARGV[19] question  ARGV[20] language
-- ARGV[21] the manage token itself: only inside the confirmation message, which is
--          deleted once sent (the booking keeps only the hash)
-- ARGV[22] no-show limit (0 = none)  ARGV[23] upcoming bookings a founder at that limit may hold
-- ARGV[24] walk-in entry id (claim, callin; the booking's token hash, ARGV[11], is the one
--          the entry was given when it joined: its page holds that manage token, sealed)
-- ARGV[25] the calling expert's id (callin)
-- Returns {'ok', booking id, status, seats taken, waiting, version, booking hash (HGETALL),
--          session hash (HGETALL)}: what the answer shows, without another round trip
--      claim/callin refusals: 'offer-expired' (after the deadline), 'no-offer',
--          'already-claimed', 'not-waiting' (callin of an entry not waiting), 'full'
--      or {'replay', booking id, sealed token}
--      or {'err', code}
--! include outbox
--! include founder_entry
local mode = ARGV[1]
local now = tonumber(ARGV[4])

if ARGV[12] ~= '' then
  local prev = redis.call('HMGET', KEYS[7], 'request', 'booking', 'sealed')
  if prev[1] then
    if prev[1] ~= ARGV[12] then return {'err', 'idempotency-conflict'} end
    return {'replay', prev[2], prev[3]}
  end
end

local walkin = mode == 'claim' or mode == 'callin'
local w
if walkin then
  w = redis.call('HMGET', KEYS[12], 'state', 'offer_session', 'offer_until', 'camp')
  if not w[1] then return {'err', 'unknown-walkin'} end
  if w[1] == 'booked' then return {'err', 'already-claimed'} end
  if mode == 'claim' then
    if w[1] == 'expired' then return {'err', 'offer-expired'} end
    if w[1] ~= 'offered' or w[2] ~= ARGV[3] then return {'err', 'no-offer'} end
    if now >= tonumber(w[3]) then return {'err', 'offer-expired'} end
  elseif w[1] ~= 'waiting' then
    return {'err', 'not-waiting'}
  end
end

local s = redis.call('HMGET', KEYS[1], 'status', 'start', 'end', 'seats', 'taken', 'expert_id', 'week', 'busy',
  'offer_entry', 'camp_id')
if not s[1] then return {'err', 'unknown-session'} end
if s[1] ~= 'open' then return {'err', 'session-not-open'} end
local start, finish = tonumber(s[2]), tonumber(s[3])
if walkin then
  if w[4] ~= s[10] then return {'err', 'unknown-session'} end
  if mode == 'callin' and s[6] ~= ARGV[25] then return {'err', 'unknown-session'} end
  if now >= finish then return {'err', 'session-over'} end
else
  if start <= now then return {'err', 'in-past'} end
  if start < now + tonumber(ARGV[5]) then return {'err', 'too-soon'} end
  if start > now + tonumber(ARGV[6]) then return {'err', 'beyond-horizon'} end
end
if s[8] == '1' then return {'err', 'expert-busy'} end -- kept in step with the busy times (lib/busy.lua)
local seats, taken = tonumber(s[4]), tonumber(s[5])
-- A seat offered to a walk-in founder is theirs until the offer ends.
local offered = (s[9] and s[9] ~= '') and 1 or 0
local waiting = redis.call('LLEN', KEYS[3])
if mode == 'claim' then
  if s[9] ~= ARGV[24] then return {'err', 'no-offer'} end
  if taken >= seats then return {'err', 'full'} end
elseif mode == 'book' or mode == 'callin' then
  if taken >= seats or waiting > 0 then return {'err', 'full'} end
  if taken + offered >= seats then return {'err', 'walkin-offer'} end
else
  -- The last seat offered to a walk-in is neither free nor taken: nothing to wait for
  -- yet (domain::evaluate_bookable says the same to the pages).
  if taken < seats and waiting == 0 then return {'err', taken + offered >= seats and 'walkin-offer' or 'not-full'} end
  if waiting >= tonumber(ARGV[10]) then return {'err', 'waitlist-full'} end
end

-- The founder's upcoming bookings (a waitlist place counts too), scored by end; see
-- lib/founder_entry.lua for the entries' form.
local expert, week = s[6] or '', s[7] or ''
-- A walk-in founder without an e-mail has no founder record: no limits, no entries.
local founder = not walkin or ARGV[17] ~= ''
local entries = founder and redis.call('ZRANGEBYSCORE', KEYS[4], '(' .. now, '+inf') or {}
-- Missed sessions (no-shows that still count) shrink what the founder may hold.
local no_show_limit = tonumber(ARGV[22])
if no_show_limit > 0 and #entries >= tonumber(ARGV[23])
    and redis.call('ZCOUNT', KEYS[11], '(' .. now, '+inf') >= no_show_limit then
  return {'err', 'no-show-limit'}
end
if #entries >= tonumber(ARGV[7]) then return {'err', 'founder-limit'} end
local same_week, overlap, same_session = founder_entries_against(entries, ARGV[3], expert, week, start, finish)
if same_session then return {'err', 'already-booked'} end
if same_week >= tonumber(ARGV[8]) then return {'err', 'expert-week-limit'} end
if ARGV[9] == '1' and overlap then return {'err', 'overlap'} end

local id = ARGV[2]
local status = mode == 'waitlist' and 'waitlisted' or 'confirmed'
local entry = founder_entry_encode(id, ARGV[3], expert, s[2], s[3], week)
redis.call('HSET', KEYS[5], 'id', id, 'session_id', ARGV[3], 'status', status, 'name', ARGV[16],
  'email', ARGV[17], 'startup', ARGV[18], 'question', ARGV[19], 'lang', ARGV[20], 'created_at', now,
  'updated_at', now, 'token_hash', ARGV[11])
if founder then
  redis.call('HSET', KEYS[5], 'founder_key', KEYS[4], 'founder_entry', entry)
  redis.call('ZADD', KEYS[4], finish, entry)
  redis.call('SADD', KEYS[9], id)
end
redis.call('SET', KEYS[6], id)
redis.call('ZADD', KEYS[10], finish, id)
local change
if walkin then
  redis.call('HSET', KEYS[5], 'walkin', ARGV[24])
  redis.call('HSET', KEYS[12], 'state', 'booked', 'booking_id', id, 'booked_session', ARGV[3], 'booked_at', now)
  redis.call('HDEL', KEYS[12], 'offer_session', 'offer_until')
  redis.call('ZREM', KEYS[13], ARGV[24])
  redis.call('ZREM', KEYS[14], ARGV[24])
  if mode == 'claim' then redis.call('HDEL', KEYS[1], 'offer_entry', 'offer_ticket', 'offer_until') end
end
if mode ~= 'waitlist' then
  redis.call('SADD', KEYS[2], id)
  taken = redis.call('HINCRBY', KEYS[1], 'taken', 1)
  change = 'booking.created'
else
  waiting = redis.call('RPUSH', KEYS[3], id)
  change = 'waitlist.joined'
end
local version
if walkin then
  version = redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[15], '*', 'type', change,
    'session', ARGV[3], 'booking', id, 'taken', taken, 'seats', seats, 'waiting', waiting,
    'camp', s[10], 'walkin', ARGV[24], 'by', mode)
else
  version = redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[15], '*', 'type', change,
    'session', ARGV[3], 'booking', id, 'taken', taken, 'seats', seats, 'waiting', waiting)
end
redis.call('HSET', KEYS[1], 'version', version)
if ARGV[12] ~= '' then
  redis.call('HSET', KEYS[7], 'request', ARGV[12], 'booking', id, 'sealed', ARGV[13])
  redis.call('EXPIRE', KEYS[7], tonumber(ARGV[14]))
end
-- A walk-in founder without an e-mail gets their confirmation on their page only.
if ARGV[17] ~= '' then outbox_add(now, 'mail', status == 'confirmed' and 'confirmation' or 'waitlisted', id, ARGV[21]) end
if HOOKS then outbox_add(now, 'hook', status == 'confirmed' and 'booking.created' or 'waitlist.joined', id) end
return {'ok', id, status, taken, waiting, version, redis.call('HGETALL', KEYS[5]), redis.call('HGETALL', KEYS[1])}
