-- Turns an invitation into an account, once: the invitation is deleted in the same step.
-- KEYS[1] invitation hash  KEYS[2] e-mail index (string -> account id)  KEYS[3] account hash
-- KEYS[4] accounts set     KEYS[5] change stream
-- ARGV[1] account id  ARGV[2] password hash  ARGV[3] now  ARGV[4] stream max length
-- ARGV[5] the invitation's e-mail as the caller read it
-- Returns {'ok', role, expert id} or {'err', code}.
local inv = redis.call('HMGET', KEYS[1], 'email', 'role', 'expert_id')
if not inv[1] then return {'err', 'unknown-invitation'} end
if inv[1] ~= ARGV[5] then return {'err', 'retry'} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'err', 'account-exists'} end
redis.call('HSET', KEYS[3], 'id', ARGV[1], 'email', inv[1], 'role', inv[2], 'expert_id', inv[3],
  'password_hash', ARGV[2], 'created_at', ARGV[3], 'password_changed_at', ARGV[3])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
redis.call('DEL', KEYS[1])
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[4], '*', 'type', 'account.created', 'account', ARGV[1],
  'role', inv[2], 'expert', inv[3])
return {'ok', inv[2], inv[3]}
