-- The socket's tick (realtime.apply_moves) writes presence with one UPDATE: every move is judged by
-- app.move_verdict on the state the player's previous move in the tick left, and where each player
-- ended the tick is written once, so statement triggers on presence (meeting zones) run once per tick.
-- Frames are recorded into tests.frames for this transaction, as in 17-meetings.sql.
BEGIN;
\ir helpers.psql

SELECT plan(9);

CREATE TABLE tests.frames (n bigserial PRIMARY KEY, frame jsonb NOT NULL);
CREATE OR REPLACE FUNCTION app.presence_notify(frame jsonb) RETURNS void
  LANGUAGE sql SET search_path = '' AS $$ INSERT INTO tests.frames (frame) VALUES (frame) $$;
-- Every UPDATE statement on presence, counted.
CREATE TABLE tests.presence_updates (n bigserial PRIMARY KEY, rows integer NOT NULL);
CREATE FUNCTION tests.count_presence_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tests.presence_updates (rows) SELECT count(*) FROM new_rows;
  RETURN NULL;
END
$$;
CREATE TRIGGER tests_count_presence_update AFTER UPDATE ON app.player_presence
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tests.count_presence_update();
CREATE FUNCTION tests.pos(actor text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT format('(%s,%s) %s', p.x, p.y, p.direction) FROM app.player_presence p WHERE p.user_id = tests.id_of(actor)
$$;
CREATE FUNCTION tests.mv(actor text, x integer, y integer, direction text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('user_id', tests.id_of(actor), 'x', x, 'y', y, 'direction', direction)
$$;

SELECT tests.create_user('Olga');
SELECT tests.create_user('Ann');
SELECT tests.create_user('Ben');
SELECT tests.create_user('Cat');
INSERT INTO app.worlds (slug, name, owner_id, visibility) VALUES ('tick', 'Tick', tests.id_of('Olga'), 'public');
INSERT INTO app.world_members (world_id, user_id, role)
SELECT id, tests.id_of('Olga'), 'owner' FROM app.worlds WHERE slug = 'tick';
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main, max_speed)
SELECT id, 'hall', 'Hall', 40, 30, 5, 5, true, 10 FROM app.worlds WHERE slug = 'tick';
-- The meeting room covers x 10..13, y 10..12.
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
SELECT r.id, 'board', 'Board room', 'meeting', 10, 10, 4, 3, 11, 12, 'TickBoard'
  FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE w.slug = 'tick' AND r.slug = 'hall';
SELECT realtime.join(tests.id_of(a), 'hall', 'c-' || a, 'tick') FROM unnest(ARRAY['Ann', 'Ben', 'Cat']) AS a;
-- Ann at (5,5); Ben at (9,11), one step west of the meeting room; Cat at (20,20).
UPDATE app.player_presence SET x = 9, y = 11 WHERE user_id = tests.id_of('Ben');
UPDATE app.player_presence SET x = 20, y = 20 WHERE user_id = tests.id_of('Cat');
DELETE FROM tests.presence_updates;
DELETE FROM tests.frames;

-- One tick: Ann walks three tiles (the middle move is outside the room), Ben steps into the meeting room
-- and out again, Cat steps once.
SELECT is(realtime.apply_moves(jsonb_build_array(
            tests.mv('Ann', 6, 5, 'right'), tests.mv('Ben', 10, 11, 'right'), tests.mv('Ann', 99, 5, 'right'),
            tests.mv('Cat', 20, 21, 'down'), tests.mv('Ben', 9, 11, 'left'), tests.mv('Ann', 7, 5, 'right')))
          #>> '{0,reason}', 'outside_room',
  'the tick refuses the one move outside the room');
SELECT results_eq($$SELECT rows FROM tests.presence_updates ORDER BY n$$, ARRAY[3],
  'the tick wrote presence with one UPDATE of the three players who moved');
SELECT is(ARRAY[tests.pos('Ann'), tests.pos('Ben'), tests.pos('Cat')],
          ARRAY['(7,5) right', '(9,11) left', '(20,21) down'],
  'each player stands where the last accepted move of the tick put them');
SELECT is((SELECT jsonb_agg(m ->> 'x' ORDER BY f.n, o) FROM tests.frames f,
                  jsonb_array_elements(f.frame -> 'moves') WITH ORDINALITY AS e(m, o)
            WHERE f.frame ->> 'type' = 'moves' AND m ->> 'user_id' = tests.id_of('Ann')::text),
          '["6", "7"]'::jsonb,
  'the moves frame still carries every accepted move, in order');
SELECT is((SELECT count(*) FROM app.meeting_attendance WHERE user_id IN (tests.id_of('Ann'), tests.id_of('Ben'), tests.id_of('Cat'))), 0::bigint,
  'a player who stepped into a meeting room and out within one tick never joined it: zones follow where the tick ended');
SELECT is((SELECT count(*) FROM tests.frames WHERE frame ->> 'type' LIKE 'meeting_%'), 0::bigint,
  'and nobody was told of a meeting');

-- Next tick: Ben steps in and stays.
DELETE FROM tests.frames;
SELECT is(realtime.apply_moves(jsonb_build_array(tests.mv('Ben', 10, 11, 'right'))), '[]', 'Ben steps into the meeting room');
SELECT is((SELECT count(*) FROM app.meeting_attendance WHERE user_id = tests.id_of('Ben') AND left_at IS NULL AND source = 'zone'),
          1::bigint, 'he joined its meeting in the tick''s one statement');
SELECT is((SELECT array_agg(frame ->> 'type' ORDER BY n) FROM tests.frames),
          ARRAY['meeting_joined', 'moves'], 'the room hears meeting_joined, then the moves');

SELECT * FROM finish();
ROLLBACK;
