-- Ends sign-in sessions of one account: the caller passes the session keys to end
-- (one for a logout, all members of the account's set for "log out everywhere"). The
-- change-log entry tells every server instance to close the account's live sockets.
-- KEYS[1] the account's sessions set  KEYS[2] change stream  KEYS[3..n] session hashes
-- ARGV[1] account id  ARGV[2] stream max length
-- Returns the number of sessions that still existed.
local n = 0
for i = 3, #KEYS do
  n = n + redis.call('DEL', KEYS[i])
  redis.call('SREM', KEYS[1], KEYS[i])
end
if n > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'type', 'account.signed_out', 'account', ARGV[1])
end
return n
