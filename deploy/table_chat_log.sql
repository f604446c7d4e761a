-- Deploy arkagentic:table_chat_log to pg
-- requires: table_chat_messages_txid
--
-- The chat stream: every committed message gets a position, in the order the bridge first sees
-- it committed. Message ids come from a sequence at INSERT time, but senders commit in another
-- order, so a cursor of ids skips a message that commits after a higher one was delivered. A
-- position is assigned after commit by one sequencer at a time (realtime.chat_stamp, serialized by
-- an advisory lock), so every transaction that stamps sees all earlier stamps committed: the
-- positions a reader can see always form a prefix of the stream. A client that has every message
-- up to position N resumes from N and misses nothing, whatever order the writers committed in.
--
-- The sequencer finds new messages by snapshot difference: it keeps the snapshot of its last run
-- (app.chat_log_state), and the messages that snapshot could not see are exactly those stored by a
-- transaction at or above its xmax or in its list of transactions then running. That is one probe
-- of the txid index, whatever the age of the oldest open transaction in the database.

BEGIN;

CREATE TABLE app.chat_log (
  position   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id bigint NOT NULL UNIQUE REFERENCES app.chat_messages (id) ON DELETE CASCADE,
  -- Copied from the message, so a resume finds a reader's positions through its sessions by index.
  session_id uuid NOT NULL
);
COMMENT ON TABLE app.chat_log IS
  'Stream position of every committed chat message, in commit order as seen by the sequencer: the exact resume cursor of the bridge.';
CREATE INDEX chat_log_session_position_idx ON app.chat_log (session_id, position);

CREATE TABLE app.chat_log_state (
  -- One row: the snapshot of the sequencer's last run.
  singleton boolean PRIMARY KEY DEFAULT true CONSTRAINT chat_log_state_one_row CHECK (singleton),
  snapshot  pg_snapshot NOT NULL
);
COMMENT ON TABLE app.chat_log_state IS 'The snapshot of realtime.chat_stamp''s last run: the messages it could not see are the next to stamp.';

ALTER TABLE app.chat_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.chat_log FORCE ROW LEVEL SECURITY;
ALTER TABLE app.chat_log_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.chat_log_state FORCE ROW LEVEL SECURITY;

-- The messages stored so far, in id order, and the snapshot that saw them, in one statement so that
-- both come from the same snapshot.
WITH stamped AS (
  INSERT INTO app.chat_log (message_id, session_id)
  SELECT m.id, m.session_id FROM app.chat_messages m ORDER BY m.id
  RETURNING 1)
INSERT INTO app.chat_log_state (snapshot)
SELECT pg_current_snapshot() FROM (SELECT count(*) FROM stamped) s;

COMMIT;
