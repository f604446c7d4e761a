-- The chat stream (issue 8): positions in commit order whatever order ids were taken in, the tail
-- and replay by position, and send-exactly-once with client_msg_id. Commit order needs real
-- commits, so the writers are dblink connections; everything they commit is deleted at the end.
BEGIN;
\ir helpers.psql

SELECT plan(26);

SELECT tests.use_dblink();
SELECT tests.remote_connect(c) FROM unnest(ARRAY['setup', 'late', 'early', 'idle', 'bridge']) c;
SELECT tests.remote_exec('setup', $$DELETE FROM app.users WHERE display_name IN ('Tap09 Ann', 'Tap09 Bob')$$);  -- an aborted run's
SELECT tests.remote_exec('bridge', 'SET ROLE bridge');
SELECT tests.remember('Ann', tests.remote_value('setup',
  $$INSERT INTO app.users (display_name, avatar_sprite) VALUES ('Tap09 Ann', 'brendan') RETURNING id$$)::uuid);
SELECT tests.remember('Bob', tests.remote_value('setup',
  $$INSERT INTO app.users (display_name, avatar_sprite) VALUES ('Tap09 Bob', 'may') RETURNING id$$)::uuid);
CREATE TABLE tests.v (name text PRIMARY KEY, value text);
CREATE FUNCTION tests.v(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM tests.v WHERE tests.v.name = $1 $$;
GRANT SELECT ON tests.v TO player;
GRANT EXECUTE ON FUNCTION tests.v(text) TO player;
INSERT INTO tests.v VALUES ('pair', tests.remote_value('setup', format(
  $$INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', %L, %L) RETURNING id$$,
  tests.id_of('Ann'), tests.id_of('Bob'))));
INSERT INTO tests.v VALUES ('head0', tests.remote_value('bridge', 'SELECT realtime.chat_stamp(true)'));

-- The stream positions of a stream page or a replay page, and their message ids.
CREATE FUNCTION tests.stream_ids(page jsonb) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY(SELECT (e ->> 'message_id')::bigint FROM jsonb_array_elements(page) WITH ORDINALITY t(e, o) ORDER BY o) $$;
CREATE FUNCTION tests.replay_ids(page jsonb) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY(SELECT (e -> 'message' ->> 'id')::bigint FROM jsonb_array_elements(page -> 'messages') WITH ORDINALITY t(e, o) ORDER BY o) $$;

-- A message that commits late ====================================================================
-- 'late' takes the lower id and holds its transaction open; 'early' takes a higher id and commits.
SELECT tests.remote_begin('late', 'player', tests.id_of('Ann'));
INSERT INTO tests.v VALUES ('k', tests.remote_value('late', format($$SELECT id FROM api.send_message(%L, 'committed late')$$, tests.v('pair'))));
SELECT tests.remote_begin('early', 'player', tests.id_of('Bob'));
INSERT INTO tests.v VALUES ('m', tests.remote_value('early', format($$SELECT id FROM api.send_message(%L, 'committed first')$$, tests.v('pair'))));
SELECT tests.remote_exec('early', 'COMMIT');
SELECT ok(tests.v('k')::bigint < tests.v('m')::bigint, 'the message held open took the lower id');

INSERT INTO tests.v VALUES ('head1', tests.remote_value('bridge', 'SELECT realtime.chat_stamp()'));
SELECT is(tests.stream_ids(tests.remote_value('bridge', format('SELECT realtime.chat_stream(%s)', tests.v('head0')))::jsonb),
  ARRAY[tests.v('m')::bigint], 'the stream has the committed message, not the one still open');
SELECT is(tests.v('head1')::bigint > tests.v('head0')::bigint, true, 'chat_stamp answers the new head');
SELECT is(tests.remote_value('bridge', 'SELECT realtime.chat_stamp()'), tests.v('head1'), 'a second stamp with nothing new keeps the head');

SELECT tests.remote_exec('late', 'COMMIT');
INSERT INTO tests.v VALUES ('head2', tests.remote_value('bridge', 'SELECT realtime.chat_stamp()'));
SELECT is(tests.stream_ids(tests.remote_value('bridge', format('SELECT realtime.chat_stream(%s)', tests.v('head1')))::jsonb),
  ARRAY[tests.v('k')::bigint], 'the late message comes after the cursor that had the higher id: a cursor never skips it');
SELECT is(tests.stream_ids(tests.remote_value('bridge', format('SELECT realtime.chat_stream(%s)', tests.v('head0')))::jsonb),
  ARRAY[tests.v('m')::bigint, tests.v('k')::bigint], 'the stream is in commit order, not id order');
SELECT is(tests.replay_ids(tests.remote_value('bridge', format('SELECT realtime.chat_replay(%L, %s)', tests.id_of('Bob'), tests.v('head0')))::jsonb),
  ARRAY[tests.v('m')::bigint, tests.v('k')::bigint], 'a replay from the old cursor brings both, in stream order');
SELECT is(tests.replay_ids(tests.remote_value('bridge', format('SELECT realtime.chat_replay(%L, %s)', tests.id_of('Bob'), tests.v('head1')))::jsonb),
  ARRAY[tests.v('k')::bigint], 'a replay from the cursor of the first frame brings exactly the late one');
SELECT is((tests.remote_value('bridge', format('SELECT realtime.chat_replay(%L, %s)', tests.id_of('Bob'), tests.v('head0')))::jsonb ->> 'head'),
  tests.v('head2'), 'a replay answers the head of its snapshot');
SELECT is(tests.replay_ids(tests.remote_value('bridge', format('SELECT realtime.chat_replay(%L, %s)', gen_random_uuid(), tests.v('head0')))::jsonb),
  ARRAY[]::bigint[], 'a stranger''s replay is empty');
SELECT is(tests.replay_ids(tests.remote_value('bridge', format('SELECT realtime.chat_replay(%L, %s, 1)', tests.id_of('Bob'), tests.v('head0')))::jsonb),
  ARRAY[tests.v('m')::bigint], 'a replay answers at most max_rows');

-- A transaction that stays open does not hold the stream back ===================================
SELECT tests.remote_exec('idle', 'BEGIN');
SELECT tests.remote_value('idle', 'SELECT pg_current_xact_id()');  -- it holds an xid, so the xmin stays behind it
SELECT tests.remote_begin('early', 'player', tests.id_of('Bob'));
INSERT INTO tests.v VALUES ('n', tests.remote_value('early', format($$SELECT id FROM api.send_message(%L, 'while idle')$$, tests.v('pair'))));
SELECT tests.remote_exec('early', 'COMMIT');
INSERT INTO tests.v VALUES ('head3', tests.remote_value('bridge', 'SELECT realtime.chat_stamp()'));
SELECT is(tests.stream_ids(tests.remote_value('bridge', format('SELECT realtime.chat_stream(%s)', tests.v('head2')))::jsonb),
  ARRAY[tests.v('n')::bigint], 'a message committed behind an open transaction is stamped at once');
-- The sequencer's work does not grow with the transactions committed since the open one began: 5,000
-- messages later, a stamp with nothing new reads no message rows (a tail from the oldest running
-- transaction's xmin would re-read all 5,000 on every call).
SELECT tests.remote_exec('setup', format($$INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
  SELECT %L, 'user', %L, 'Tap09 Bob', 'window ' || g FROM generate_series(1, 5000) g$$, tests.v('pair'), tests.id_of('Bob')));
SELECT tests.remote_value('bridge', 'SELECT realtime.chat_stamp(true)');
-- Counted as a difference: the statistics of a backend's earlier transactions may not be flushed yet.
CREATE FUNCTION tests.message_rows_read() RETURNS text LANGUAGE sql AS
  $$ SELECT format($q$SELECT coalesce(sum(seq_tup_read + idx_tup_fetch), 0) FROM pg_stat_xact_user_tables
                     WHERE schemaname = 'app' AND relname = 'chat_messages'$q$) $$;
SELECT tests.remote_exec('bridge', 'BEGIN');
INSERT INTO tests.v VALUES ('read_before', tests.remote_value('bridge', tests.message_rows_read()));
SELECT tests.remote_value('bridge', 'SELECT realtime.chat_stamp()');
SELECT cmp_ok(tests.remote_value('bridge', tests.message_rows_read())::bigint - tests.v('read_before')::bigint, '<', 10::bigint,
  'behind an open transaction, a stamp with nothing new reads no message rows');
SELECT tests.remote_exec('bridge', 'COMMIT');
SELECT tests.remote_exec('idle', 'ROLLBACK');

-- Send exactly once ===============================================================================
SELECT tests.remote_begin('early', 'player', tests.id_of('Ann'));
INSERT INTO tests.v VALUES ('key', gen_random_uuid()::text);
INSERT INTO tests.v VALUES ('once', tests.remote_value('early', format($$SELECT id FROM api.send_message(%L, 'once', %L)$$, tests.v('pair'), tests.v('key'))));
SELECT tests.remote_exec('early', 'COMMIT');
SELECT tests.remote_begin('early', 'player', tests.id_of('Ann'));
SELECT is(tests.remote_value('early', format($$SELECT id FROM api.send_message(%L, 'once', %L)$$, tests.v('pair'), tests.v('key'))),
  tests.v('once'), 'a retry with the same client_msg_id returns the stored message');
SELECT tests.remote_exec('early', 'COMMIT');
SELECT is(tests.remote_value('setup', format($$SELECT count(*) FROM app.chat_messages WHERE sender_id = %L AND content = 'once'$$, tests.id_of('Ann'))),
  '1', 'and stores nothing new');
SELECT tests.remote_begin('early', 'player', tests.id_of('Bob'));
SELECT isnt(tests.remote_value('early', format($$SELECT id FROM api.send_message(%L, 'once', %L)$$, tests.v('pair'), tests.v('key'))),
  tests.v('once'), 'the same key from another sender is another message');
SELECT tests.remote_exec('early', 'COMMIT');

-- Two attempts at once with one new key: the second waits for the first, then answers its message.
INSERT INTO tests.v VALUES ('key2', gen_random_uuid()::text);
INSERT INTO tests.v VALUES ('early_pid', tests.remote_value('early', 'SELECT pg_backend_pid()'));
INSERT INTO tests.v VALUES ('late_pid', tests.remote_value('late', 'SELECT pg_backend_pid()'));
SELECT tests.remote_begin('early', 'player', tests.id_of('Ann'));
INSERT INTO tests.v VALUES ('first', tests.remote_value('early', format($$SELECT id FROM api.send_message(%L, 'raced', %L)$$, tests.v('pair'), tests.v('key2'))));
SELECT tests.remote_begin('late', 'player', tests.id_of('Ann'));
SELECT tests.dblink_send_query('late', format($$SELECT id FROM api.send_message(%L, 'raced', %L)$$, tests.v('pair'), tests.v('key2')));
SELECT is(tests.blocked_by(tests.v('late_pid')::integer), ARRAY[tests.v('early_pid')::integer],
  'a second attempt with the same key waits for the first one''s uncommitted message');
SELECT tests.remote_exec('early', 'COMMIT');
INSERT INTO tests.v SELECT 'second', v FROM tests.dblink_get_result('late') AS t(v text);
SELECT count(*) FROM tests.dblink_get_result('late') AS t(v text);
SELECT tests.remote_exec('late', 'COMMIT');
SELECT is(tests.v('second'), tests.v('first'), 'and then answers the first one''s message');
SELECT is(tests.remote_value('setup', format($$SELECT count(*) FROM app.chat_messages WHERE sender_id = %L AND content = 'raced'$$, tests.id_of('Ann'))),
  '1', 'two racing attempts store one message');

-- A key used in one session cannot send into another.
SELECT tests.remote_begin('early', 'player', tests.id_of('Ann'));
INSERT INTO tests.v VALUES ('scout', tests.remote_value('early', $$SELECT id FROM api.start_chat(agent_slug => 'scout')$$));
SELECT tests.remote_exec('early', 'COMMIT');
SELECT tests.remote_begin('early', 'player', tests.id_of('Ann'));
SELECT is(tests.remote_try('early', format($$SELECT id FROM api.send_message(%L, 'elsewhere', %L)$$, tests.v('scout'), tests.v('key'))),
  NULL, 'a retry key of another session is refused');
SELECT tests.remote_exec('early', 'ROLLBACK');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT tests.api_throws_ok(format($$SELECT api.send_message(%L, 'elsewhere', %L)$$, tests.v('scout'), tests.v('key')),
  'PT409', 'this client_msg_id was already used for a message in another session',
  'with 409 and a fixed message');
SELECT tests.as_owner();

-- The same for say_nearby: a retry answers the stored message and its recipients, says nothing again.
SELECT tests.remote_begin('early', 'player', tests.id_of('Bob'));
SELECT tests.remote_value('early', $$SELECT api.enter_room('town')$$);
SELECT tests.remote_exec('early', 'COMMIT');
SELECT tests.remote_begin('early', 'player', tests.id_of('Ann'));
SELECT tests.remote_value('early', $$SELECT api.enter_room('town')$$);
INSERT INTO tests.v VALUES ('key3', gen_random_uuid()::text);
INSERT INTO tests.v VALUES ('said', tests.remote_value('early', format($$SELECT api.say_nearby('psst', %L)::text$$, tests.v('key3'))));
SELECT tests.remote_exec('early', 'COMMIT');
SELECT tests.remote_begin('early', 'player', tests.id_of('Ann'));
SELECT is(tests.remote_value('early', format($$SELECT api.say_nearby('psst', %L)::text$$, tests.v('key3')))::jsonb,
  tests.v('said')::jsonb, 'a say_nearby retry answers the same message and recipients');
SELECT tests.remote_exec('early', 'COMMIT');
SELECT is(tests.remote_value('setup', format($$SELECT count(*) FROM app.chat_messages WHERE sender_id = %L AND content = 'psst'$$, tests.id_of('Ann'))),
  '1', 'and says nothing again');


-- By index, whatever the size of the stream ======================================================
-- 20,000 messages between two other players: Ann's replay must not read them all. (The sequencer's own
-- reads are counted behind an open transaction above: a stamp of 20,000 new messages reads them, rightly.)
-- The committed messages are stamped first, remotely: a local stamp would lock them until ROLLBACK,
-- and the cleanup below, which deletes them, would wait for this transaction.
SELECT tests.remote_value('bridge', 'SELECT realtime.chat_stamp(true)');
SELECT tests.create_user('Tap09 Busy A'), tests.create_user('Tap09 Busy B');
WITH s AS (INSERT INTO app.chat_sessions (type, user_id, other_user_id)
           VALUES ('private', tests.id_of('Tap09 Busy A'), tests.id_of('Tap09 Busy B')) RETURNING id)
INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
SELECT s.id, 'user', tests.id_of('Tap09 Busy A'), 'Busy', 'bulk ' || g FROM s, generate_series(1, 20000) g;
SELECT throws_ok('SELECT realtime.chat_stamp(true)', '25001',
  'realtime.chat_stamp must run in a transaction of its own, before anything in it writes',
  'a stamp in a transaction that wrote is refused: its snapshot would see its own messages as old');
-- Positions for them as the sequencer would give them, written directly (this transaction may not stamp).
INSERT INTO app.chat_log (message_id, session_id)
SELECT m.id, m.session_id FROM app.chat_messages m
 WHERE NOT EXISTS (SELECT FROM app.chat_log l WHERE l.message_id = m.id) ORDER BY m.id;
ANALYZE app.chat_log;
ANALYZE app.chat_messages;
CREATE TEMP TABLE scans AS SELECT relname, seq_scan FROM pg_stat_xact_user_tables WHERE schemaname = 'app';
SELECT ok(jsonb_array_length(realtime.chat_replay(tests.id_of('Ann'), 0) -> 'messages') > 0, 'Ann''s replay from 0 answers her messages');
SELECT is((SELECT t.seq_scan - s.seq_scan FROM pg_stat_xact_user_tables t JOIN scans s USING (relname)
            WHERE t.schemaname = 'app' AND t.relname = 'chat_log'), 0::bigint,
  'a replay from 0 finds the reader''s positions by index: no scan of the whole stream');

SELECT tests.remote_exec('setup', format('DELETE FROM app.player_presence WHERE user_id IN (%L, %L)', tests.id_of('Ann'), tests.id_of('Bob')));
SELECT tests.remote_exec('setup', format('DELETE FROM app.users WHERE id IN (%L, %L)', tests.id_of('Ann'), tests.id_of('Bob')));
SELECT tests.remote_disconnect(c) FROM unnest(ARRAY['setup', 'late', 'early', 'idle', 'bridge']) c;

SELECT * FROM finish();
ROLLBACK;
