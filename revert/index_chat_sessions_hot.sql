-- Revert arkagentic:index_chat_sessions_hot from pg

BEGIN;

ALTER TABLE app.chat_sessions RESET (fillfactor);
DROP INDEX app.chat_sessions_other_user_idx;
DROP INDEX app.chat_sessions_user_idx;
CREATE INDEX chat_sessions_user_recent ON app.chat_sessions (user_id, last_message_at DESC);
CREATE INDEX chat_sessions_other_user_recent ON app.chat_sessions (other_user_id, last_message_at DESC)
  WHERE other_user_id IS NOT NULL;

COMMIT;
