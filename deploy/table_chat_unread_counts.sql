-- Deploy arkagentic:table_chat_unread_counts to pg
-- requires: table_chat_read_markers
-- requires: policy_chat_delivery
-- requires: function_auth_claims
-- GET /chat_sessions counted every message after the reader's marker on every request: 200 ms at the
-- median for a player in a 200,000-message session. The count now lives in one row per session and
-- participant, moved by the writes that change it, so reading it is one index probe.
--
-- Why a counter and not a capped count (99+): a capped count still reads up to its cap on every request
-- and has to skip the reader's own messages to find others', which is unbounded again; the counter is
-- exact and costs each send one HOT update of a row that only the other participant's sends touch.
-- A sender's messages count only into the other participants' rows, and a player's sends are already
-- serialized by their rate-limit row, so no two senders wait for each other here that did not before.
--
-- Exactness. The row holds the read position it counts from (read_upto) as well as the count, so every
-- change to either is a change to that one row, under its row lock:
-- - A statement that stores messages adds, per row, its messages after read_upto from someone else; the
--   condition is in the UPDATE's WHERE, which PostgreSQL re-checks on the latest row version when the
--   row was locked (read committed), so a marker moved meanwhile is honoured.
-- - A moved read marker first locks the row, and then counts the messages between the old and the new
--   position in a new statement: every send that had counted into the row has committed by then and is
--   in that statement's snapshot; a send that has not counted yet waits for the lock and then finds the
--   new read_upto. A message stored with an id below the marker but committed after it is therefore
--   read, as the marker says.
-- - Deleting messages subtracts them the way storing adds them.
-- A row exists for each participant from the session's creation on (a trigger), and the deploy fills
-- the rows of today's sessions under locks that keep writers out until the triggers are in place.
-- The read position stays where it is when a marker row disappears (its message was deleted).

BEGIN;

-- Writers wait until the rows are filled and the triggers count for them.
LOCK TABLE app.chat_sessions, app.chat_messages, app.chat_read_markers IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE app.chat_unread_counts (
  session_id   uuid NOT NULL REFERENCES app.chat_sessions (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  read_upto    bigint NOT NULL DEFAULT 0,
  unread_count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, user_id)
) WITH (fillfactor = 70);  -- room on the page for the HOT update every message makes
COMMENT ON TABLE app.chat_unread_counts IS
  'Each participant''s unread count per session: messages from others after read_upto, kept by triggers.';
COMMENT ON COLUMN app.chat_unread_counts.read_upto IS
  'The read marker the count starts after (0 before the first mark_read).';

-- user_id: the foreign key's delete of a user, which cascades here.
CREATE INDEX chat_unread_counts_user_idx ON app.chat_unread_counts (user_id);

ALTER TABLE app.chat_unread_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.chat_unread_counts FORCE ROW LEVEL SECURITY;
-- api.chat_sessions runs as its caller: a player reads their own counts; agent_service, which may read
-- the view too, reads none.
CREATE POLICY chat_unread_counts_own_read ON app.chat_unread_counts FOR SELECT TO player
  USING (user_id = (SELECT auth.user_id()));
GRANT SELECT ON app.chat_unread_counts TO player, agent_service;

-- Every participant has a row from the start: a message is then always counted by a row lock.
CREATE FUNCTION app.chat_unread_add_participants() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
BEGIN
  INSERT INTO app.chat_unread_counts (session_id, user_id)
  SELECT NEW.id, p FROM pg_catalog.unnest(ARRAY[NEW.user_id, NEW.other_user_id]) AS p WHERE p IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION app.chat_unread_add_participants() FROM PUBLIC;
COMMENT ON FUNCTION app.chat_unread_add_participants() IS
  'Trigger: a new session''s participants start with no unread messages.';

-- Statement-level, so that a bulk insert updates each row once; a session at a time, in session order,
-- so that two statements touching several sessions lock rows in the same order. The session's ids and
-- senders travel as arrays: the UPDATE's plan is an index probe whatever the statement's size. (The
-- two-array unnest is syntax, ROWS FROM, which cannot be schema-qualified; it resolves in pg_catalog.)
CREATE FUNCTION app.chat_unread_count_messages() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
DECLARE
  sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
  batch record;
BEGIN
  FOR batch IN
    SELECT c.session_id, pg_catalog.array_agg(c.id) AS ids, pg_catalog.array_agg(c.sender_id) AS senders
      FROM changed c GROUP BY c.session_id ORDER BY c.session_id
  LOOP
    -- Only rows the batch changes are locked: a sender's own row stays free for the other's sends.
    UPDATE app.chat_unread_counts u
       SET unread_count = u.unread_count + sign * (
             SELECT pg_catalog.count(*) FROM unnest(batch.ids, batch.senders) AS m(id, sender_id)
              WHERE m.id > u.read_upto AND m.sender_id IS DISTINCT FROM u.user_id)
     WHERE u.session_id = batch.session_id
       AND EXISTS (SELECT FROM unnest(batch.ids, batch.senders) AS m(id, sender_id)
                    WHERE m.id > u.read_upto AND m.sender_id IS DISTINCT FROM u.user_id);
  END LOOP;
  RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION app.chat_unread_count_messages() FROM PUBLIC;
COMMENT ON FUNCTION app.chat_unread_count_messages() IS
  'Trigger: stored messages count into the other participants'' unread rows, deleted ones out.';

CREATE FUNCTION app.chat_unread_follow_marker() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
  AS $$
BEGIN
  -- Lock first; the UPDATE is a new statement with a new snapshot, which sees every message counted
  -- into this row before the lock was granted.
  PERFORM FROM app.chat_unread_counts u
    WHERE u.session_id = NEW.session_id AND u.user_id = NEW.user_id AND u.read_upto <> NEW.last_read_message_id
    FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  -- Markers only move forward (mark_read), but the row follows one moved back too.
  UPDATE app.chat_unread_counts u
     SET unread_count = u.unread_count
           - (SELECT pg_catalog.count(*) FROM app.chat_messages m
               WHERE m.session_id = u.session_id AND m.id > u.read_upto AND m.id <= NEW.last_read_message_id
                 AND m.sender_id IS DISTINCT FROM u.user_id)
           + (SELECT pg_catalog.count(*) FROM app.chat_messages m
               WHERE m.session_id = u.session_id AND m.id > NEW.last_read_message_id AND m.id <= u.read_upto
                 AND m.sender_id IS DISTINCT FROM u.user_id),
         read_upto = NEW.last_read_message_id
   WHERE u.session_id = NEW.session_id AND u.user_id = NEW.user_id;
  RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION app.chat_unread_follow_marker() FROM PUBLIC;
COMMENT ON FUNCTION app.chat_unread_follow_marker() IS
  'Trigger: a moved read marker moves its unread row, minus the messages between the two positions.';

CREATE TRIGGER chat_unread_add_participants AFTER INSERT ON app.chat_sessions
  FOR EACH ROW EXECUTE FUNCTION app.chat_unread_add_participants();
CREATE TRIGGER chat_unread_count_inserted AFTER INSERT ON app.chat_messages
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.chat_unread_count_messages();
CREATE TRIGGER chat_unread_count_deleted AFTER DELETE ON app.chat_messages
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app.chat_unread_count_messages();
CREATE TRIGGER chat_unread_follow_marker AFTER INSERT OR UPDATE OF last_read_message_id ON app.chat_read_markers
  FOR EACH ROW EXECUTE FUNCTION app.chat_unread_follow_marker();

-- Today's sessions, counted once the way api.chat_sessions counted them.
INSERT INTO app.chat_unread_counts (session_id, user_id, read_upto, unread_count)
SELECT s.id, p.user_id, coalesce(r.last_read_message_id, 0),
       (SELECT count(*) FROM app.chat_messages m
         WHERE m.session_id = s.id AND m.id > coalesce(r.last_read_message_id, 0)
           AND m.sender_id IS DISTINCT FROM p.user_id)
  FROM app.chat_sessions s
 CROSS JOIN LATERAL (VALUES (s.user_id), (s.other_user_id)) AS p(user_id)
  LEFT JOIN app.chat_read_markers r ON r.session_id = s.id AND r.user_id = p.user_id
 WHERE p.user_id IS NOT NULL;

COMMIT;
