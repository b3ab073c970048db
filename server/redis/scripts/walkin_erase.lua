-- Erases walk-in entries with everything they carry: the entry, its token, its place in
-- the queue and among the open offers (a held offer is withdrawn from its session), and
-- its place in the founder's and the retention lists. On the founder's request (their
-- e-mail's entries) or by the retention sweep (entries that joined before the cutoff).
-- The change-log entry names no one.
-- KEYS[1] change stream  KEYS[2] every entry by join time  KEYS[3] open offers zset
-- then per entry: its hash, its token key, its camp's queue, the session hash of the
-- offer it holds as the caller read it (the entry key when none), the founder's walk-in set
-- (the entry key when none)
-- ARGV[1] now  ARGV[2] stream max length  ARGV[3] reason ('request' | 'retention')
-- ARGV[4] by  then per entry: its id, the offer's session id the caller read ('' none)
-- Returns {'ok', erased count, version} or {'err', 'retry'} when an entry's offer moved.
local n = (#KEYS - 3) / 5
for i = 0, n - 1 do
  local offer = redis.call('HGET', KEYS[4 + 5 * i], 'offer_session') or ''
  if offer ~= ARGV[6 + 2 * i] then return {'err', 'retry'} end
end
local erased = 0
local camp, session_fields = nil, {}
for i = 0, n - 1 do
  local entry, token, queue, session, founder = KEYS[4 + 5 * i], KEYS[5 + 5 * i], KEYS[6 + 5 * i], KEYS[7 + 5 * i],
    KEYS[8 + 5 * i]
  local id, offer = ARGV[5 + 2 * i], ARGV[6 + 2 * i]
  local w = redis.call('HMGET', entry, 'camp', 'state')
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  if w[1] then
    redis.call('ZREM', queue, id)
    if offer ~= '' and redis.call('HGET', session, 'offer_entry') == id then
      redis.call('HDEL', session, 'offer_entry', 'offer_ticket', 'offer_until')
      session_fields = {'session', offer, 'taken', redis.call('HGET', session, 'taken') or '0',
        'seats', redis.call('HGET', session, 'seats') or '0'}
    end
    if founder ~= entry then redis.call('SREM', founder, id) end
    redis.call('DEL', entry, token)
    erased = erased + 1
    camp = camp or w[1]
  end
end
if erased == 0 then return {'ok', 0, ''} end
-- One entry per call: the camp (and the session whose offer was withdrawn) of the batch;
-- callers erase one camp's entries per call.
local version = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'type', 'walkin.erased',
  'walkins', erased, 'reason', ARGV[3], 'by', ARGV[4], 'camp', camp or '', unpack(session_fields))
return {'ok', erased, version}
