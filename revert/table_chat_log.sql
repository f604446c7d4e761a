-- Revert arkagentic:table_chat_log from pg

BEGIN;

DROP TABLE app.chat_log_state;
DROP TABLE app.chat_log;

COMMIT;
