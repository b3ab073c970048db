-- Misses of secret-token lookups (manage links, feeds, invitations) per client address,
-- counted in a fixed window that starts with the first miss.
-- KEYS[1] the address's counter
-- ARGV[1] 'check' (read only) or 'miss' (count one)  ARGV[2] misses allowed  ARGV[3] window (ms)
-- Returns the ms until the address may look tokens up again; 0 when it may now.
local n
if ARGV[1] == 'miss' then
  n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
else
  n = tonumber(redis.call('GET', KEYS[1]) or '0')
end
if n < tonumber(ARGV[2]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  -- A counter without a lifetime would block the address for ever.
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  ttl = tonumber(ARGV[3])
end
return ttl
