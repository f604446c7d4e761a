-- Revert arkagentic:table_chat_messages_client_msg_id from pg

BEGIN;

DROP INDEX app.chat_messages_client_msg_id_idx;
ALTER TABLE app.chat_messages DROP COLUMN client_msg_id;

COMMIT;
