-- Revert arkagentic:table_chat_sessions_drop_last_message_at from pg: the column comes back, filled
-- from each session's newest message, before the v0.2.0 chat_store that maintains it is restored.

BEGIN;

ALTER TABLE app.chat_sessions ADD COLUMN last_message_at timestamptz;
UPDATE app.chat_sessions s
   SET last_message_at = (SELECT m.created_at FROM app.chat_messages m WHERE m.session_id = s.id ORDER BY m.id DESC LIMIT 1)
 WHERE EXISTS (SELECT FROM app.chat_messages m WHERE m.session_id = s.id);

COMMIT;
