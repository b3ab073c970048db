-- Settles a claimed message: 'done' (delivered) and 'drop' (nothing to deliver any more,
-- e.g. the booking was erased) remove it; 'retry' puts it back with one more attempt at
-- the given time; 'dead' moves a description of it to the dead letters admins see.
-- KEYS[1] outbox  KEYS[2] dead-letter list
-- ARGV[1] member  ARGV[2] outcome  ARGV[3] retry member (attempts + 1)  ARGV[4] retry due
-- ARGV[5] dead-letter entry  ARGV[6] most dead letters kept
-- Returns 1, or 0 when the message was no longer there (settled by someone else).
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[2] == 'retry' then
  redis.call('ZADD', KEYS[1], tonumber(ARGV[4]), ARGV[3])
elseif ARGV[2] == 'dead' then
  redis.call('LPUSH', KEYS[2], ARGV[5])
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[6]) - 1)
end
return 1
