-- Opens a sign-in session. Only the session id's hash is the key.
-- KEYS[1] session hash  KEYS[2] the account's sessions set
-- ARGV[1] account id  ARGV[2] now  ARGV[3] absolute expiry (epoch s)  ARGV[4] idle lifetime (s)
-- The member added to the account's set is the session key itself (KEYS[1]).
redis.call('HSET', KEYS[1], 'account_id', ARGV[1], 'created_at', ARGV[2], 'expires_at', ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
redis.call('SADD', KEYS[2], KEYS[1])
return {'ok'}
