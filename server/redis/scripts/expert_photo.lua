-- Sets or removes an expert's photo, with a change-log entry (the profile pages follow it).
-- The bytes were checked by the server (JPEG, PNG or WebP, size limit) before this runs.
-- KEYS[1] expert hash  KEYS[2] photo hash  KEYS[3] set of experts with a photo  KEYS[4] change stream
-- ARGV[1] expert id  ARGV[2] content type ('' = remove)  ARGV[3] bytes  ARGV[4] etag
-- ARGV[5] now (epoch s)  ARGV[6] by  ARGV[7] stream max length
-- Returns {'ok', version} or {'err', 'unknown'} (no such expert).
if redis.call('EXISTS', KEYS[1]) == 0 then return {'err', 'unknown'} end
local change
if ARGV[2] == '' then
  redis.call('DEL', KEYS[2])
  redis.call('SREM', KEYS[3], ARGV[1])
  change = 'expert.photo_removed'
else
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[2], 'type', ARGV[2], 'data', ARGV[3], 'etag', ARGV[4], 'updated_at', ARGV[5])
  redis.call('SADD', KEYS[3], ARGV[1])
  change = 'expert.photo'
end
local version = redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[7], '*', 'type', change, 'id', ARGV[1], 'by', ARGV[6])
return {'ok', version}
