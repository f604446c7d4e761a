-- Deploy arkagentic:table_chat_messages to pg
-- requires: table_chat_sessions
-- Messages of a chat session. The id is a bigint so clients page and resume by it.

BEGIN;

CREATE TABLE app.chat_messages (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id  uuid NOT NULL REFERENCES app.chat_sessions (id) ON DELETE CASCADE,
  sender_type text NOT NULL CONSTRAINT chat_messages_sender_type_known CHECK (sender_type IN ('user', 'agent', 'system')),
  sender_id   uuid,
  -- Denormalized: a message keeps the name its sender had when it was sent.
  sender_name text NOT NULL CONSTRAINT chat_messages_sender_name_length CHECK (char_length(sender_name) BETWEEN 1 AND 64),
  content     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT chat_messages_sender_known CHECK ((sender_type = 'system') = (sender_id IS NULL)),
  -- People write up to 4000 characters; agents' answers may run to 32000.
  CONSTRAINT chat_messages_content_length CHECK (
    char_length(content) BETWEEN 1 AND CASE sender_type WHEN 'agent' THEN 32000 ELSE 4000 END
    AND btrim(content, E' \t\n\r') <> ''
    AND content !~ '[\x01-\x09\x0b-\x1f\x7f]')
);
COMMENT ON TABLE app.chat_messages IS 'Chat messages; content is 1 to 4000 characters (32000 for agents), no control characters but newline.';

CREATE INDEX chat_messages_session_id_idx ON app.chat_messages (session_id, id);

ALTER TABLE app.chat_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.chat_messages FORCE ROW LEVEL SECURITY;

COMMIT;
