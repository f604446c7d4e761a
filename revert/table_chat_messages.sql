-- Revert arkagentic:table_chat_messages from pg

BEGIN;

DROP TABLE app.chat_messages;

COMMIT;
