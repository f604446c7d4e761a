-- Revert arkagentic:policy_chat_sessions from pg

BEGIN;

DROP POLICY chat_sessions_participant_read ON app.chat_sessions;

COMMIT;
