-- Revert arkagentic:table_chat_message_recipients from pg

BEGIN;

DROP TABLE app.chat_message_recipients;

COMMIT;
