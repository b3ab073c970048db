-- The outbox, shared by every script whose change causes a message: embed_scripts.cmake
-- puts this text where a script says `--! include outbox`. Such a script's last two
-- KEYS are the outbox (a sorted set of messages by due time) and its sequence counter,
-- and its last ARGV is '1' when webhooks are configured. A message is a member
-- "id|kind|template|ref|attempts|extra": kind 'mail' or 'hook', ref the booking (or
-- the invitation's token hash) it is about. Enqueued in the same step as the change,
-- so there is never a change without its message or a message without its change.
local OUTBOX, OUTBOX_SEQ = KEYS[#KEYS - 1], KEYS[#KEYS]
local HOOKS = ARGV[#ARGV] == '1'
local function outbox_add(due, kind, template, ref, extra)
  local id = redis.call('INCR', OUTBOX_SEQ)
  redis.call('ZADD', OUTBOX, due, table.concat({id, kind, template, ref, 0, extra or ''}, '|'))
end
local function notify(now, template, booking, hook)
  outbox_add(now, 'mail', template, booking)
  if hook and HOOKS then outbox_add(now, 'hook', hook, booking) end
end
