-- A confirmed seat given up (cancelled, released as a no-show, or moved to another
-- session) goes to the session's waitlist head when somebody waits, or back to the free
-- seats. embed_scripts.cmake puts this text where a script says `--! include seat`,
-- after `--! include outbox` (the promotion is mailed). `head` is the waitlist head the
-- caller read and compared with the one its caller expected (refusing with `retry` on a
-- difference), so the head's booking hash is among the caller's KEYS. Returns the
-- promoted booking id ('' when none) and the session's seats taken afterwards.
local function seat_pass_on(now, head, seats_key, waitlist_key, head_booking_key, session_key, taken)
  if head == '' then
    return '', redis.call('HINCRBY', session_key, 'taken', -1)
  end
  local promoted = redis.call('LPOP', waitlist_key)
  redis.call('HSET', head_booking_key, 'status', 'confirmed', 'promoted_at', now, 'updated_at', now)
  redis.call('HINCRBY', head_booking_key, 'sequence', 1)
  redis.call('SADD', seats_key, promoted)
  notify(now, 'promotion', promoted, 'booking.promoted')
  return promoted, taken
end
