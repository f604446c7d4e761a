-- Revert arkagentic:table_chat_read_markers from pg

BEGIN;

DROP TABLE app.chat_read_markers;

COMMIT;
