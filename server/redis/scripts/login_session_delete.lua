-- Ends sign-in sessions of one account: the caller passes the session keys to end
-- (one for a logout, all members of the account's set for "log out everywhere").
-- KEYS[1] the account's sessions set  KEYS[2..n] session hashes to delete
-- Returns the number of sessions that still existed.
local n = 0
for i = 2, #KEYS do
  n = n + redis.call('DEL', KEYS[i])
  redis.call('SREM', KEYS[1], KEYS[i])
end
return n
