-- Unread counts (issue 9, section 6): GET /chat_sessions reads each session's unread count from
-- app.chat_unread_counts, whatever the history's length, and the triggers keep that count equal to
-- "messages from others after your read marker" through sends, bulk inserts, marks, a marker moved back,
-- a message committed below the marker, and deletes. The concurrent case is tests/api/test_chat_unread.py.
BEGIN;
\ir helpers.psql

SELECT plan(19);

-- The count as the old api.chat_sessions computed it, from the history: what the counter must equal.
CREATE FUNCTION tests.unread_from_history(session_id uuid, reader uuid) RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT count(*) FROM app.chat_messages m
   WHERE m.session_id = unread_from_history.session_id
     AND m.id > coalesce((SELECT r.last_read_message_id FROM app.chat_read_markers r
                           WHERE r.session_id = unread_from_history.session_id AND r.user_id = reader), 0)
     AND m.sender_id IS DISTINCT FROM reader
$$;

-- Rows of app.chat_messages a query reads, as EXPLAIN ANALYZE counts them (rows returned and rows a
-- filter removed, over all loops): a flat plan reads the same few whatever the history's length.
CREATE FUNCTION tests.message_rows_read(query text) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  plan jsonb;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || query INTO plan;
  RETURN (SELECT coalesce(sum(((n ->> 'Actual Rows')::numeric + coalesce((n ->> 'Rows Removed by Filter')::numeric, 0))
                              * (n ->> 'Actual Loops')::numeric), 0)
            FROM jsonb_path_query(plan, 'strict $.**') AS n
           WHERE jsonb_typeof(n) = 'object' AND n ->> 'Relation Name' = 'chat_messages');
END
$$;
GRANT EXECUTE ON FUNCTION tests.unread_from_history(uuid, uuid), tests.message_rows_read(text) TO player;

-- as the owner: Ann and Bob in a private session, Ann in an agent session.
SELECT tests.create_user('Ann');
SELECT tests.create_user('Bob');
CREATE TABLE tests.s (name text PRIMARY KEY, id uuid NOT NULL);
GRANT SELECT ON tests.s TO player, agent_service;
CREATE FUNCTION tests.sid(name text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM tests.s WHERE s.name = sid.name $$;
GRANT EXECUTE ON FUNCTION tests.sid(text) TO player, agent_service;
WITH made AS (INSERT INTO app.chat_sessions (type, user_id, other_user_id)
              VALUES ('private', tests.id_of('Ann'), tests.id_of('Bob')) RETURNING id)
INSERT INTO tests.s SELECT 'ann_bob', id FROM made;
WITH made AS (INSERT INTO app.chat_sessions (type, user_id, agent_id)
              VALUES ('agent', tests.id_of('Ann'), (SELECT id FROM app.agents WHERE slug = 'scout')) RETURNING id)
INSERT INTO tests.s SELECT 'ann_scout', id FROM made;

SELECT results_eq($$SELECT user_id, read_upto, unread_count FROM app.chat_unread_counts
                     WHERE session_id = tests.sid('ann_bob') ORDER BY user_id = tests.id_of('Bob')$$,
  $$VALUES (tests.id_of('Ann'), 0::bigint, 0), (tests.id_of('Bob'), 0::bigint, 0)$$,
  'a new private session has an unread row for each participant, at zero');
SELECT results_eq($$SELECT user_id FROM app.chat_unread_counts WHERE session_id = tests.sid('ann_scout')$$,
  $$VALUES (tests.id_of('Ann'))$$, 'an agent session has one row, its player''s');

-- One statement, 3000 messages from Bob and 2 from Ann, and 5 from the agent in the other session.
INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
SELECT tests.sid('ann_bob'), 'user', CASE WHEN g <= 2 THEN tests.id_of('Ann') ELSE tests.id_of('Bob') END, 'x', 'm' || g
  FROM generate_series(1, 3002) g
UNION ALL
SELECT tests.sid('ann_scout'), 'agent', (SELECT id FROM app.agents WHERE slug = 'scout'), 'Scout', 'a' || g
  FROM generate_series(1, 5) g;
SELECT results_eq($$SELECT unread_count FROM app.chat_unread_counts WHERE session_id = tests.sid('ann_bob')
                     ORDER BY user_id = tests.id_of('Bob')$$,
  $$VALUES (3000), (2)$$, 'a bulk insert counts each message into the other participant''s row only');
SELECT is((SELECT unread_count FROM app.chat_unread_counts WHERE session_id = tests.sid('ann_scout')), 5,
  'an agent''s messages count for its player');

-- as Ann
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT results_eq($$SELECT id, unread_count FROM api.chat_sessions ORDER BY id$$,
  $$SELECT s.id, tests.unread_from_history(s.id, tests.id_of('Ann'))::integer FROM tests.s s ORDER BY s.id$$,
  'GET /chat_sessions shows the counts that the history gives');
SELECT cmp_ok(tests.message_rows_read('SELECT * FROM api.chat_sessions'), '<=', 4::bigint,
  'GET /chat_sessions reads one message per session (the last), not the 3000 unread');
SELECT api.mark_read(tests.sid('ann_bob'), (SELECT max(id) - 1000 FROM app.chat_messages WHERE session_id = tests.sid('ann_bob')));
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_bob')), 1000,
  'mark_read takes what it read off the count');
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_bob')),
          tests.unread_from_history(tests.sid('ann_bob'), tests.id_of('Ann'))::integer,
  'and the count is still the history''s');
SELECT api.mark_read(tests.sid('ann_bob'), (SELECT min(id) FROM app.chat_messages WHERE session_id = tests.sid('ann_bob')));
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_bob')), 1000,
  'a mark_read that would move back changes nothing');

-- as Bob: his own messages are never unread for him, Ann's two are.
SELECT tests.authenticate_as(tests.id_of('Bob'));
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_bob')), 2, 'Bob has Ann''s two unread');
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_scout')), NULL,
  'Bob sees no count of a session he is not in');

-- as agent_service: may read the view, and reads no one's counts.
SELECT tests.authenticate_service('agent_service');
SELECT is((SELECT unread_count FROM api.chat_sessions WHERE id = tests.sid('ann_scout')), 0,
  'agent_service reads sessions with an unread count of 0: counts are the players''');

-- as the owner: the marker moved back (no API does this) counts the messages again.
SELECT tests.as_owner();
UPDATE app.chat_read_markers SET last_read_message_id = last_read_message_id - 500
 WHERE session_id = tests.sid('ann_bob') AND user_id = tests.id_of('Ann');
SELECT is((SELECT unread_count FROM app.chat_unread_counts WHERE session_id = tests.sid('ann_bob') AND user_id = tests.id_of('Ann')),
          1500, 'a marker moved back counts the messages after it again');

-- A message committed after the marker passed its id is read, as the marker says (a late commit:
-- its id was taken before the messages that Ann read). Ids far above the sequence stand for the race.
CREATE TABLE tests.late (id bigint);
INSERT INTO tests.late SELECT max(id) + 1000 FROM app.chat_messages;
INSERT INTO app.chat_messages (id, session_id, sender_type, sender_id, sender_name, content) OVERRIDING SYSTEM VALUE
SELECT id + 10, tests.sid('ann_bob'), 'user', tests.id_of('Bob'), 'Bob', 'read at once' FROM tests.late;
UPDATE app.chat_read_markers SET last_read_message_id = (SELECT id + 10 FROM tests.late)
 WHERE session_id = tests.sid('ann_bob') AND user_id = tests.id_of('Ann');
SELECT is((SELECT unread_count FROM app.chat_unread_counts WHERE session_id = tests.sid('ann_bob') AND user_id = tests.id_of('Ann')),
          0, 'marked read up to the newest message: nothing unread');
INSERT INTO app.chat_messages (id, session_id, sender_type, sender_id, sender_name, content) OVERRIDING SYSTEM VALUE
SELECT id + 5, tests.sid('ann_bob'), 'user', tests.id_of('Bob'), 'Bob', 'late' FROM tests.late;
SELECT is((SELECT unread_count FROM app.chat_unread_counts WHERE session_id = tests.sid('ann_bob') AND user_id = tests.id_of('Ann')),
          0, 'a message stored below the marker is not unread');
INSERT INTO app.chat_messages (id, session_id, sender_type, sender_id, sender_name, content) OVERRIDING SYSTEM VALUE
SELECT id + 20, tests.sid('ann_bob'), 'user', tests.id_of('Bob'), 'Bob', 'new' FROM tests.late;
SELECT is((SELECT unread_count FROM app.chat_unread_counts WHERE session_id = tests.sid('ann_bob') AND user_id = tests.id_of('Ann')),
          1, 'one above it is');

-- Deleting messages takes them off the counts they were in.
DELETE FROM app.chat_messages WHERE session_id = tests.sid('ann_bob') AND content IN ('m3', 'm4', 'm1', 'new');
SELECT results_eq($$SELECT unread_count FROM app.chat_unread_counts WHERE session_id = tests.sid('ann_bob')
                     ORDER BY user_id = tests.id_of('Bob')$$,
  $$VALUES (0), (1)$$, 'deleted messages leave the counts they were in (Ann: the new one; Bob: Ann''s first)');

-- Everything above, checked against the history in one go.
SELECT is_empty($$
  SELECT u.session_id, u.user_id, u.unread_count FROM app.chat_unread_counts u
   WHERE u.session_id IN (SELECT id FROM tests.s)
     AND u.unread_count <> (SELECT count(*) FROM app.chat_messages m
                             WHERE m.session_id = u.session_id AND m.id > u.read_upto
                               AND m.sender_id IS DISTINCT FROM u.user_id)$$,
  'every count equals the messages from others after its read position');

-- A deleted session takes its rows with it.
DELETE FROM app.chat_sessions WHERE id = tests.sid('ann_bob');
SELECT is_empty($$SELECT FROM app.chat_unread_counts WHERE session_id = tests.sid('ann_bob')$$,
  'deleting a session deletes its unread rows');

SELECT * FROM finish();
ROLLBACK;
