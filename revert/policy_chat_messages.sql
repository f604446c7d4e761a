-- Revert arkagentic:policy_chat_messages from pg

BEGIN;

DROP POLICY chat_messages_participant_read ON app.chat_messages;

COMMIT;
