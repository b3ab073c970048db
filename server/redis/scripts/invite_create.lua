-- Creates (or renews) an invitation to open an account. Only the token's hash is the key.
-- The invitation e-mail is queued in the same step (it carries the token for the link;
-- the message is deleted once sent).
-- KEYS[1] invitation hash  KEYS[2] change stream  KEYS[3] outbox  KEYS[4] outbox sequence
-- ARGV[1] e-mail  ARGV[2] role  ARGV[3] expert id ('' for admins)  ARGV[4] created by (account id or 'tool')
-- ARGV[5] now  ARGV[6] lifetime (s)  ARGV[7] stream max length  ARGV[8] token hash
-- ARGV[9] token  ARGV[10] webhooks on (unused)
--! include outbox
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'email', ARGV[1], 'role', ARGV[2], 'expert_id', ARGV[3], 'created_by', ARGV[4],
  'created_at', ARGV[5], 'expires_at', tonumber(ARGV[5]) + tonumber(ARGV[6]))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[6]))
local version = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', 'type', 'invitation.created',
  'role', ARGV[2], 'expert', ARGV[3], 'by', ARGV[4])
outbox_add(tonumber(ARGV[5]), 'mail', 'invitation', ARGV[8], ARGV[9])
return {'ok', version}
