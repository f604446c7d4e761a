-- Deploy arkagentic:table_chat_sessions_drop_last_message_at to pg
-- requires: function_app_chat function_api_chat
-- Since the reworked chat_store no longer moves it, the column would only go stale. Dropping it only
-- marks it dropped in the catalog: no rewrite, and the ACCESS EXCLUSIVE lock is held for an instant.

BEGIN;

ALTER TABLE app.chat_sessions DROP COLUMN last_message_at;

COMMIT;
