-- Claims due messages for one sender: each is pushed `lease` seconds into the future in
-- the same step, so no other instance sees it while this one delivers; if this one dies,
-- the lease runs out and another instance takes it over.
-- KEYS[1] outbox  ARGV[1] now (epoch s)  ARGV[2] lease (s)  ARGV[3] most messages
-- Returns the claimed members.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local until_ = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, m in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', until_, m) end
return due
