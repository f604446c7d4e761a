-- Deploy arkagentic:table_chat_read_markers to pg
-- requires: table_chat_sessions table_chat_messages
-- How far each participant has read each session; unread counts are derived from it.

BEGIN;

CREATE TABLE app.chat_read_markers (
  session_id           uuid NOT NULL REFERENCES app.chat_sessions (id) ON DELETE CASCADE,
  user_id              uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  last_read_message_id bigint NOT NULL REFERENCES app.chat_messages (id) ON DELETE CASCADE,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, user_id)
);
COMMENT ON TABLE app.chat_read_markers IS 'The last message each participant has read in each session.';

CREATE INDEX chat_read_markers_user_idx ON app.chat_read_markers (user_id);
CREATE INDEX chat_read_markers_message_idx ON app.chat_read_markers (last_read_message_id);

ALTER TABLE app.chat_read_markers ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.chat_read_markers FORCE ROW LEVEL SECURITY;

GRANT SELECT ON app.chat_read_markers TO player;

COMMIT;
