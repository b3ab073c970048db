-- Gives a calendar feed a new secret link and revokes the old one in the same step
-- (or only revokes, when no new token hash is given).
-- KEYS[1] the subject's current-feed pointer  KEYS[2] the old feed hash (the caller read
-- the pointer; any key when none)  KEYS[3] the new feed hash (any key when revoking)
-- ARGV[1] kind (expert | founder | camp)  ARGV[2] subject  ARGV[3] new token hash ('' = revoke)
-- ARGV[4] old token hash the caller saw ('' = none)  ARGV[5] now
-- Returns {'ok'} or {'err', 'retry'} when the pointer moved meanwhile.
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[4] then return {'err', 'retry'} end
if current ~= '' then redis.call('DEL', KEYS[2]) end
if ARGV[3] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[3], 'kind', ARGV[1], 'subject', ARGV[2], 'created_at', ARGV[5])
  redis.call('SET', KEYS[1], ARGV[3])
end
return {'ok'}
