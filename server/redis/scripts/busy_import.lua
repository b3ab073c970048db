-- Records one fetch of an expert's calendar: a good import replaces that calendar's busy
-- times, a failed one keeps them and records the error; an unchanged feed (304) only
-- counts as a good fetch. Nothing is written when the calendar was removed or its
-- address changed while it was fetched.
-- KEYS[1] the expert's calendar addresses  KEYS[2] their state  KEYS[3] their busy times
-- ARGV[1] calendar id  ARGV[2] the URL that was fetched  ARGV[3] fetched | not-modified | failed
-- ARGV[4] now (epoch s)  ARGV[5] error in plain words (failed)  ARGV[6] busy times
-- ("start-end start-end ..." in epoch s, fetched)  ARGV[7] number of busy times
-- ARGV[8] ETag  ARGV[9] Last-Modified
-- Returns {'ok', changed (1 when the busy times are different now)} or {'ok', 0} when gone.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return {'ok', 0} end
local id = ARGV[1]
redis.call('HSET', KEYS[2], id .. ':fetched_at', ARGV[4])
if ARGV[3] == 'failed' then
  redis.call('HSET', KEYS[2], id .. ':error', ARGV[5])
  return {'ok', 0}
end
redis.call('HSET', KEYS[2], id .. ':ok_at', ARGV[4], id .. ':error', '')
if ARGV[3] == 'not-modified' then return {'ok', 0} end
redis.call('HSET', KEYS[2], id .. ':count', ARGV[7], id .. ':etag', ARGV[8], id .. ':last_modified', ARGV[9])
local before = redis.call('HGET', KEYS[3], id) or ''
redis.call('HSET', KEYS[3], id, ARGV[6])
if before == ARGV[6] then return {'ok', 0} end
return {'ok', 1}
