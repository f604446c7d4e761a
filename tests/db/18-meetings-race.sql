-- Meetings under concurrency (issue 14): the last one out closing a session races the next one in. Two
-- real connections (dblink) as the bridge: Ed's tick steps him out and closes the session, uncommitted;
-- Mia's tick steps her in meanwhile. She waits for Ed's transaction and then opens a new session: no
-- attendance ever lands in a closed session, and one session is open. The rows are committed, so the
-- file deletes them again (and those of an aborted run first).
BEGIN;
\ir helpers.psql

SELECT plan(6);

SELECT tests.use_dblink();
SELECT tests.remote_connect(c) FROM unnest(ARRAY['setup', 'first', 'second']) c;
SELECT tests.remote_exec('setup', $$DELETE FROM app.worlds WHERE slug = 'tap18-race'$$);
SELECT tests.remote_exec('setup', $$DELETE FROM app.users WHERE display_name IN ('Tap18 Ed', 'Tap18 Mia')$$);
SELECT tests.remember('Ed', tests.remote_value('setup',
  $$INSERT INTO app.users (display_name, avatar_sprite) VALUES ('Tap18 Ed', 'brendan') RETURNING id$$)::uuid);
SELECT tests.remember('Mia', tests.remote_value('setup',
  $$INSERT INTO app.users (display_name, avatar_sprite) VALUES ('Tap18 Mia', 'may') RETURNING id$$)::uuid);
SELECT tests.remote_exec('setup', format($$
  INSERT INTO app.worlds (slug, name, owner_id, visibility) VALUES ('tap18-race', 'Race', %1$L, 'public');
  INSERT INTO app.world_members (world_id, user_id, role) SELECT id, %1$L, 'owner' FROM app.worlds WHERE slug = 'tap18-race';
  INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main, max_speed)
  SELECT id, 'lobby', 'Lobby', 40, 30, 5, 5, true, 100 FROM app.worlds WHERE slug = 'tap18-race';
  INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
  SELECT r.id, 'board', 'Board', 'meeting', 10, 10, 4, 3, 11, 13, 'board'
    FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE w.slug = 'tap18-race'$$, tests.id_of('Ed')));
SELECT tests.remote_value('setup', format($$SELECT realtime.join(%L, 'lobby', 'c-ed', 'tap18-race') IS NOT NULL$$, tests.id_of('Ed')));
SELECT tests.remote_value('setup', format($$SELECT realtime.join(%L, 'lobby', 'c-mia', 'tap18-race') IS NOT NULL$$, tests.id_of('Mia')));
SELECT tests.remote_value('setup', format($$SELECT realtime.apply_moves('[{"user_id": "%s", "x": 10, "y": 10, "direction": "up"}]')$$, tests.id_of('Ed')));

CREATE FUNCTION tests.board() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT b.id FROM app.buildings b JOIN app.worlds w ON w.id = b.world_id WHERE w.slug = 'tap18-race'
$$;
SELECT is((SELECT count(*) FROM app.meeting_sessions WHERE building_id = tests.board() AND ended_at IS NULL), 1::bigint,
  'Ed alone in the board room: one open session');

CREATE TABLE tests.race (name text PRIMARY KEY, value text);
INSERT INTO tests.race VALUES ('first_pid', tests.remote_value('first', 'SELECT pg_backend_pid()')),
                              ('second_pid', tests.remote_value('second', 'SELECT pg_backend_pid()')),
                              ('ed_session', (SELECT id::text FROM app.meeting_sessions WHERE building_id = tests.board() AND ended_at IS NULL));
CREATE FUNCTION tests.race(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM tests.race r WHERE r.name = race.name $$;

-- Ed's tick: he steps out, the last one out closes the session; not committed yet.
SELECT tests.remote_begin('first', 'bridge');
SELECT tests.remote_value('first', format($$SELECT realtime.apply_moves('[{"user_id": "%s", "x": 15, "y": 10, "direction": "right"}]')$$, tests.id_of('Ed')));
-- Mia's tick on another bridge: she steps in.
SELECT tests.remote_begin('second', 'bridge');
SELECT tests.dblink_send_query('second', format($$SELECT realtime.apply_moves('[{"user_id": "%s", "x": 11, "y": 11, "direction": "right"}]')$$, tests.id_of('Mia')));
SELECT is(tests.blocked_by(tests.race('second_pid')::integer), ARRAY[tests.race('first_pid')::integer],
  'Mia stepping in waits for the transaction closing the session');
SELECT tests.remote_exec('first', 'COMMIT');
SELECT is(v, '[]', 'then her move is accepted') FROM tests.dblink_get_result('second') AS t(v text);
SELECT count(*) FROM tests.dblink_get_result('second') AS t(v text);  -- the end of the results frees the connection
SELECT tests.remote_exec('second', 'COMMIT');

SELECT is((SELECT ended_at IS NOT NULL FROM app.meeting_sessions WHERE id = tests.race('ed_session')::uuid), true,
  'Ed''s session is closed');
SELECT is((SELECT count(*) FROM app.meeting_sessions WHERE building_id = tests.board() AND ended_at IS NULL), 1::bigint,
  'one session is open');
SELECT is((SELECT s.ended_at FROM app.meeting_attendance a JOIN app.meeting_sessions s ON s.id = a.session_id
            WHERE a.user_id = tests.id_of('Mia') AND a.left_at IS NULL), NULL,
  'and Mia is in it: no attendance lands in a closed session');

SELECT tests.remote_exec('setup', $$DELETE FROM app.worlds WHERE slug = 'tap18-race'$$);
SELECT tests.remote_exec('setup', $$DELETE FROM app.users WHERE display_name IN ('Tap18 Ed', 'Tap18 Mia')$$);
SELECT tests.remote_disconnect(c) FROM unnest(ARRAY['setup', 'first', 'second']) c;

SELECT * FROM finish();
ROLLBACK;
