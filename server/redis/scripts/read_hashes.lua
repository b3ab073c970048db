-- Reads many hashes in one round trip (read-only).
-- KEYS: the hashes. Returns one flat field/value array per key (empty when missing).
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('HGETALL', key) end
return out
