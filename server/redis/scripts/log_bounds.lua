-- The change log's first and last entry ids in one round trip ('' when the log is
-- empty), and whether `since` (a version a resuming client sent) is an entry of this
-- log: a socket resuming with `since` needs all three, and a reconnect storm asks
-- 10,000 times at once. A version the log cannot vouch for (ahead of its head, or from
-- a log that was wiped since) must not be resumed from. Read-only.
-- KEYS[1] change stream   ARGV[1] since ('' = none)
-- Returns {first id, last id, 1 if since is an entry of the log else 0}
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local known = 0
if ARGV[1] ~= '' and #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1], 'COUNT', 1) == 1 then known = 1 end
return {first[1] and first[1][1] or '', last[1] and last[1][1] or '', known}
