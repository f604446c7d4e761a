-- Revert arkagentic:table_chat_sessions from pg

BEGIN;

DROP TABLE app.chat_sessions;

COMMIT;
