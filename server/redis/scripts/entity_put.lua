-- Creates or replaces one record (camp, room, expert, office-hour rule, event) and
-- indexes it, in one step, with an entry in the change log (the audit trail: who did it).
-- KEYS[1] record hash  KEYS[2] index set (ids of this kind)  KEYS[3] change stream
-- KEYS[4] second index set (e.g. a camp's rooms, an expert's rules) or same as KEYS[2]
-- KEYS[5] optional: the second index set the record was in before (a room moved to
--         another camp leaves the old camp's set)
-- ARGV[1] id  ARGV[2] change type (e.g. 'camp.put')  ARGV[3] stream max length
-- ARGV[4] by (account id, 'seed' or 'cli')  ARGV[5..] field, value pairs (the whole record)
-- Returns {'ok', version, 'created' | 'updated'}.
local existed = redis.call('EXISTS', KEYS[1]) == 1
redis.call('DEL', KEYS[1])
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], 'id', ARGV[1], unpack(fields))
if KEYS[5] and KEYS[5] ~= KEYS[4] then redis.call('SREM', KEYS[5], ARGV[1]) end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
local version = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'type', ARGV[2], 'id', ARGV[1],
  'by', ARGV[4])
return {'ok', version, existed and 'updated' or 'created'}
