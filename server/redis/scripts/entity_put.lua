-- Creates or replaces one record (camp, room, expert, office-hour rule) and indexes it,
-- in one step, with an entry in the change log (the audit trail of admin changes).
-- KEYS[1] record hash  KEYS[2] index set (ids of this kind)  KEYS[3] change stream
-- KEYS[4] optional second index set (e.g. a camp's rooms, an expert's rules) or same as KEYS[2]
-- ARGV[1] id  ARGV[2] change type (e.g. 'camp.put')  ARGV[3] stream max length
-- ARGV[4..] field, value pairs (replace the whole record)
-- Returns {'ok', version}.
redis.call('DEL', KEYS[1])
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], 'id', ARGV[1], unpack(fields))
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
local version = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'type', ARGV[2], 'id', ARGV[1])
return {'ok', version}
