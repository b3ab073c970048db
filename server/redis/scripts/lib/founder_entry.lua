-- A founder's upcoming entry: one member of the founder's sorted set (scored by the
-- session's end) per booking or waitlist place, kept in the booking hash as
-- `founder_entry` so that it can be removed again. embed_scripts.cmake puts this text
-- where a script says `--! include founder_entry`.
--
-- Encoded as a JSON array [booking, session, expert, start, end, week]: an empty field
-- (an event without a host) or any character in a field cannot shift the others, and
-- cjson's output for the same strings is always the same bytes, so the stored member can
-- be found again by value. Entries written before this encoding, "b|s|e|start|end|week",
-- are still read (empty fields kept); they are replaced by the JSON form when the
-- booking is next moved.
local function founder_entry_encode(booking, session, expert, start, finish, week)
  return cjson.encode({booking, session, expert or '', tostring(start), tostring(finish), week or ''})
end
local function founder_entry_decode(e)
  local f
  if string.sub(e, 1, 1) == '[' then
    f = cjson.decode(e)
  else
    f = {}
    for part in string.gmatch(e .. '|', '([^|]*)|') do f[#f + 1] = part end
  end
  return {booking = f[1], session = f[2], expert = f[3] or '', start = tonumber(f[4]),
          finish = tonumber(f[5]), week = f[6] or ''}
end
-- Walks a founder's upcoming entries against a session [start, finish) of `expert` in
-- `week`: returns the number of entries with the same (non-empty) expert in the same
-- week, whether one overlaps, and whether one is that very session. `skip` is an entry
-- to leave out (the booking being moved).
local function founder_entries_against(entries, session, expert, week, start, finish, skip)
  local same_week, overlap, same_session = 0, false, false
  for _, e in ipairs(entries) do
    if e ~= skip then
      local f = founder_entry_decode(e)
      if f.session == session then same_session = true end
      if expert ~= '' and f.expert == expert and f.week == week then same_week = same_week + 1 end
      if f.start and f.finish and f.start < finish and start < f.finish then overlap = true end
    end
  end
  return same_week, overlap, same_session
end
-- A session's end moved to `finish` (ended early, or extended): the founder's entry for
-- `booking`, when it is this `session`'s, moves with it in the `founder` set and in the
-- booking hash.
local function founder_entry_move_end(booking, founder, session, finish)
  local entry = redis.call('HGET', booking, 'founder_entry')
  if not entry then return end
  local f = founder_entry_decode(entry)
  if f.session ~= session then return end
  local moved = founder_entry_encode(f.booking, f.session, f.expert, f.start, finish, f.week)
  redis.call('ZREM', founder, entry)
  redis.call('ZADD', founder, finish, moved)
  redis.call('HSET', booking, 'founder_entry', moved)
end
