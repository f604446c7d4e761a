-- Deploy arkagentic:table_chat_messages_c1_check to pg
-- requires: table_chat_messages
-- C1 control characters (U+0080 to U+009F) are control characters too: U+009B starts terminal
-- escape sequences. The content check now refuses them like C0 ones.

BEGIN;

ALTER TABLE app.chat_messages DROP CONSTRAINT chat_messages_content_length;
ALTER TABLE app.chat_messages ADD CONSTRAINT chat_messages_content_length CHECK (
    char_length(content) BETWEEN 1 AND CASE sender_type WHEN 'agent' THEN 32000 ELSE 4000 END
    AND btrim(content, E' \t\n\r') <> ''
    AND content !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]');

COMMIT;
