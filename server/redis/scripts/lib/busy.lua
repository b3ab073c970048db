-- An expert's own busy time against their sessions. embed_scripts.cmake puts this text
-- where a script says `--! include busy`. Every script that writes an expert's busy
-- times (`busy:times:<expert>`) or a session's times marks the session's `busy` field
-- ('1' / '0') in the same step, so `book` and `reschedule` can refuse a busy session by
-- reading the session alone: the field is never out of step with the busy times.
--
-- A session clashes when it overlaps a busy interval widened by the session's `buffer`
-- (seconds, the rule's buffer; 0 for events) on both sides; intervals are half-open, so
-- a meeting that ends at 14:00 and a session at 14:00 with no buffer only touch.
local function busy_spans(times_key)
  local spans = {}
  for _, v in ipairs(redis.call('HVALS', times_key)) do
    for s, e in string.gmatch(v, '(%d+)%-(%d+)') do spans[#spans + 1] = {tonumber(s), tonumber(e)} end
  end
  return spans
end
local function busy_clash(spans, start, finish, buffer)
  local a, b = tonumber(start) - (tonumber(buffer) or 0), tonumber(finish) + (tonumber(buffer) or 0)
  for _, sp in ipairs(spans) do
    if sp[1] < b and a < sp[2] then return true end
  end
  return false
end
-- Re-marks the expert's future sessions (`keys`/`ids`: the hashes and ids the caller saw,
-- verified by the caller's script) against `spans`. Every session whose mark changes gets
-- a change-log entry (`session.busy` / `session.free`), so open pages and the lobby see it.
-- Returns the ids of sessions that became busy while holding a confirmed seat or a
-- waitlist place: the new conflicts.
local function busy_remark(spans, keys, ids, stream, maxlen)
  local conflicts = {}
  for i, key in ipairs(keys) do
    local s = redis.call('HMGET', key, 'start', 'end', 'buffer', 'busy', 'taken', 'seats', 'status')
    if s[1] then
      local now_busy = busy_clash(spans, s[1], s[2], s[3]) and '1' or '0'
      if now_busy ~= (s[4] or '0') then
        local v = redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'type',
          now_busy == '1' and 'session.busy' or 'session.free', 'session', ids[i], 'taken', s[5] or 0,
          'seats', s[6] or 0, 'status', s[7] or '')
        redis.call('HSET', key, 'busy', now_busy, 'version', v)
        if now_busy == '1' and s[7] == 'open' and tonumber(s[5] or '0') > 0 then conflicts[#conflicts + 1] = ids[i] end
      end
    end
  end
  return conflicts
end
-- The expert's future sessions as the caller read them: `m` session hashes from
-- KEYS[key_base + 1] on and their ids from ARGV[arg_base + 1] on. Returns those hashes
-- and ids, or nil when the sessions after `now` in `sessions_key` (the expert's zset)
-- are no longer exactly these (the caller refuses with `retry`).
local function busy_sessions_as_read(sessions_key, now, m, key_base, arg_base)
  local keys, ids, seen = {}, {}, {}
  for j = 1, m do
    keys[j] = KEYS[key_base + j]
    ids[j] = ARGV[arg_base + j]
    seen[ids[j]] = true
  end
  local current = redis.call('ZRANGEBYSCORE', sessions_key, '(' .. now, '+inf')
  if #current ~= m then return nil end
  for _, s in ipairs(current) do
    if not seen[s] then return nil end
  end
  return keys, ids
end
