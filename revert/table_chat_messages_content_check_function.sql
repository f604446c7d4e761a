-- Revert arkagentic:table_chat_messages_content_check_function from pg: the expression back inline.

BEGIN;

ALTER TABLE app.chat_messages DROP CONSTRAINT chat_messages_content_length;
ALTER TABLE app.chat_messages ADD CONSTRAINT chat_messages_content_length CHECK (
    char_length(content) BETWEEN 1 AND CASE sender_type WHEN 'agent' THEN 32000 ELSE 4000 END
    AND btrim(content, E' \t\n\r') <> ''
    AND content !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]');
DROP FUNCTION app.chat_content_ok(text, text);

COMMIT;
