-- A founder's released no-shows (KEYS of the caller: `founder:<sha>:no_shows`), booking ids
-- scored by when each stops counting for the no-show limit. The key expires with its newest
-- member, whichever order the members came in (a later release may count for less long:
-- another camp's zone, a shorter window). embed_scripts.cmake puts this text where a script
-- says `--! include no_show_record`.
local function no_show_record_add(key, booking_id, counts_until)
  redis.call('ZADD', key, counts_until, booking_id)
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  redis.call('EXPIREAT', key, math.floor(tonumber(newest[2])))
end
