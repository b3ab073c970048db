-- The change log's first and last entry ids in one round trip ('' when the log is
-- empty): a socket resuming with `since` needs both, and a reconnect storm asks 10,000
-- times at once. Read-only.
-- KEYS[1] change stream
-- Returns {first id, last id}
local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
return {first[1] and first[1][1] or '', last[1] and last[1][1] or ''}
