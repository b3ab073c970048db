-- Deletes one record and removes it from its index sets, with a change-log entry.
-- KEYS[1] record hash  KEYS[2] index set  KEYS[3..n-1] further index sets  KEYS[n] change stream
-- ARGV[1] id  ARGV[2] change type  ARGV[3] stream max length
-- Returns {'ok', version} or {'err', 'unknown'} when there was no such record.
if redis.call('EXISTS', KEYS[1]) == 0 then return {'err', 'unknown'} end
redis.call('DEL', KEYS[1])
for i = 2, #KEYS - 1 do redis.call('SREM', KEYS[i], ARGV[1]) end
local version = redis.call('XADD', KEYS[#KEYS], 'MAXLEN', '~', ARGV[3], '*', 'type', ARGV[2], 'id', ARGV[1])
return {'ok', version}
