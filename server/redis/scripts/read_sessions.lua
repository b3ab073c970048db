-- Reads sessions with their waitlist length in one round trip (read-only).
-- KEYS: session hash, waitlist list, session hash, waitlist list, ...
-- Returns per session {field/value array, waitlist length}; a missing session gives {}.
local out = {}
for i = 1, #KEYS, 2 do
  out[#out + 1] = {redis.call('HGETALL', KEYS[i]), redis.call('LLEN', KEYS[i + 1])}
end
return out
