-- Revert arkagentic:table_chat_messages_bidi_check from pg
-- (controls the deploy removed from old messages are not put back)

BEGIN;

ALTER TABLE app.chat_messages DROP CONSTRAINT chat_messages_content_bidi;

COMMIT;
