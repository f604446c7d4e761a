-- Presence (issue 3, "Rules that live in SQL"): entering, moving and leaving over REST, the bridge's
-- realtime functions (batched moves, join, leave, status, heartbeat, stale sweep), the frames they
-- announce on NOTIFY channel presence, and who may call what.
--
-- Time: api.move and realtime.apply_moves stamp moves with clock_timestamp(), so the allowance refills
-- while a test runs. Tests that need an exact allowance set it as the owner with tests.allow(): with
-- no elapsed time given, moved_at lies in the future, so nothing refills (the refill is clamped at 0)
-- and the allowance is exactly the budget set; with an elapsed time, the budget refills for that long.
BEGIN;
\ir helpers.psql

SELECT plan(141);

-- NOTIFY frames, through two real connections =====================================================
-- Notifications reach listeners only when the sender commits, so a second connection LISTENs while
-- a third one plays, committing for real; its user is deleted again at the end of the section.
-- This runs first: the test's own uncommitted rows would block those connections.

-- as the owner
SELECT tests.use_dblink();
SELECT tests.remote_connect('listener');
SELECT tests.remote_connect('actor');
SELECT tests.remote_exec('actor', $$DELETE FROM app.users WHERE display_name = 'Tap06 Walker'$$);  -- left over by an aborted run
SELECT tests.remote_exec('listener', 'LISTEN presence');
SELECT tests.remember('Walker', tests.remote_value('actor',
  $$INSERT INTO app.users (display_name, avatar_sprite) VALUES ('Tap06 Walker', 'may') RETURNING id$$)::uuid);

-- The REST path: three requests, three transactions.
SELECT tests.remote_begin('actor', 'player', tests.id_of('Walker'));
SELECT tests.remote_value('actor', $$SELECT api.enter_room('town')$$);
SELECT tests.remote_exec('actor', 'COMMIT');
SELECT tests.remote_begin('actor', 'player', tests.id_of('Walker'));
SELECT tests.remote_value('actor', $$SELECT api.move(21, 16, 'right')$$);
SELECT tests.remote_exec('actor', 'COMMIT');
SELECT tests.remote_begin('actor', 'player', tests.id_of('Walker'));
SELECT tests.remote_value('actor', $$SELECT api.leave_room()$$);
SELECT tests.remote_exec('actor', 'COMMIT');

SELECT is(tests.remote_notifications('listener', 3),
  jsonb_build_array(
    jsonb_build_object('type', 'player_joined', 'world', 'ark', 'room', 'town', 'player', jsonb_build_object(
      'user_id', tests.id_of('Walker'), 'display_name', 'Tap06 Walker', 'avatar_sprite', 'may',
      'x', 20, 'y', 16, 'direction', 'down', 'status', 'online')),
    jsonb_build_object('type', 'moves', 'world', 'ark', 'room', 'town', 'moves', jsonb_build_array(
      jsonb_build_object('user_id', tests.id_of('Walker'), 'x', 21, 'y', 16, 'direction', 'right'))),
    jsonb_build_object('type', 'player_left', 'world', 'ark', 'room', 'town', 'user_id', tests.id_of('Walker'))),
  'REST enter_room, move and leave_room announce player_joined (at the town spawn), moves and player_left, one frame each');

-- The bridge path: one transaction, as a tick of the bridge would never be, to see every frame kind.
SELECT tests.remote_begin('actor', 'bridge');
SELECT tests.remote_value('actor', format($$SELECT realtime.join(%L, 'town', 'sock-w')$$, tests.id_of('Walker')));
SELECT tests.remote_value('actor', format($$SELECT realtime.apply_moves('[{"user_id": "%s", "x": 22, "y": 16, "direction": "right"},
                                                                          {"user_id": "%s", "x": 99, "y": 16, "direction": "right"}]')$$,
                                          tests.id_of('Walker'), tests.id_of('Walker')));
SELECT tests.remote_value('actor', format($$SELECT realtime.set_status(%L, 'busy')$$, tests.id_of('Walker')));
SELECT tests.remote_value('actor', format($$SELECT realtime.join(%L, 'room-scout', 'sock-w')$$, tests.id_of('Walker')));
SELECT tests.remote_value('actor', format($$SELECT realtime.leave(%L, 'sock-w')$$, tests.id_of('Walker')));
SELECT tests.remote_exec('actor', 'COMMIT');

SELECT is(tests.remote_notifications('listener', 6),
  jsonb_build_array(
    jsonb_build_object('type', 'player_joined', 'world', 'ark', 'room', 'town', 'player', jsonb_build_object(
      'user_id', tests.id_of('Walker'), 'display_name', 'Tap06 Walker', 'avatar_sprite', 'may',
      'x', 21, 'y', 16, 'direction', 'right', 'status', 'online')),
    jsonb_build_object('type', 'moves', 'world', 'ark', 'room', 'town', 'moves', jsonb_build_array(
      jsonb_build_object('user_id', tests.id_of('Walker'), 'x', 22, 'y', 16, 'direction', 'right'))),
    jsonb_build_object('type', 'player_status', 'world', 'ark', 'room', 'town', 'user_id', tests.id_of('Walker'), 'status', 'busy'),
    jsonb_build_object('type', 'player_left', 'world', 'ark', 'room', 'town', 'user_id', tests.id_of('Walker')),
    jsonb_build_object('type', 'player_joined', 'world', 'ark', 'room', 'room-scout', 'player', jsonb_build_object(
      'user_id', tests.id_of('Walker'), 'display_name', 'Tap06 Walker', 'avatar_sprite', 'may',
      'x', 10, 'y', 12, 'direction', 'up', 'status', 'online')),
    jsonb_build_object('type', 'player_left', 'world', 'ark', 'room', 'room-scout', 'user_id', tests.id_of('Walker'))),
  'the bridge''s join (at the saved position), apply_moves (the accepted move only), set_status, a join elsewhere (left, then joined at that room''s spawn) and leave announce exactly these frames');

SELECT tests.remote_exec('actor', format('DELETE FROM app.users WHERE id = %L', tests.id_of('Walker')));
SELECT tests.remote_exec('listener', 'UNLISTEN *');
SELECT tests.remote_disconnect('listener');
SELECT tests.remote_disconnect('actor');
SELECT is_empty(format('SELECT FROM app.player_presence WHERE user_id = %L UNION ALL SELECT FROM app.users WHERE id = %L',
                       tests.id_of('Walker'), tests.id_of('Walker')),
  'the committed user and presence row of the NOTIFY test are gone again');

-- Setup, as the owner =============================================================================

-- field: 30 x 20, max_speed 10; two player spawns (gate comes first by slug) and an agent spawn that
-- comes before both. annex: 10 x 10, no spawn point (its default spawn counts). yard: 20 x 20,
-- max_speed 1, for the bridge's batches.
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, max_speed) VALUES
  ('field', 'Field', 'field', 30, 20, 1, 1, 10),
  ('annex', 'Annex', 'annex', 10, 10, 2, 3, 10),
  ('yard',  'Yard',  'yard',  20, 20, 10, 10, 1);
CREATE FUNCTION tests.room_id(slug text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM app.rooms r WHERE r.slug = room_id.slug $$;
GRANT EXECUTE ON FUNCTION tests.room_id(text) TO player, bridge;
INSERT INTO app.spawn_points (room_id, slug, x, y, type, agent_id, direction) VALUES
  (tests.room_id('field'), 'west', 0, 10, 'player', NULL, 'left'),
  (tests.room_id('field'), 'gate', 5, 5, 'player', NULL, 'right'),
  (tests.room_id('field'), 'aaa-agent', 7, 7, 'agent', (SELECT id FROM app.agents WHERE slug = 'scout'), 'down');

SELECT tests.create_user('Ann');
SELECT tests.create_user('Ben', 'may');
SELECT tests.create_user('Cat');
SELECT tests.create_user('Dan');
SELECT tests.create_user('Eve');

-- Sets a player's move allowance: `budget` tiles, refilled for `elapsed` (NULL: never refills now).
CREATE FUNCTION tests.allow(who text, budget real, elapsed interval DEFAULT NULL) RETURNS void
  LANGUAGE sql AS $$
  UPDATE app.player_presence
     SET move_budget = budget,
         moved_at = CASE WHEN elapsed IS NULL THEN clock_timestamp() + interval '1 hour' ELSE clock_timestamp() - elapsed END
   WHERE user_id = tests.id_of(who)
$$;

-- Where a player stands, as the owner sees it.
CREATE FUNCTION tests.spot(who text) RETURNS TABLE (room text, x integer, y integer, direction text, status text)
  LANGUAGE sql STABLE AS $$
  SELECT r.slug, p.x, p.y, p.direction, p.status
    FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id WHERE p.user_id = tests.id_of(who)
$$;

-- A rejected move's rejection without the allowance figure, which depends on the clock.
CREATE FUNCTION tests.without_allowance(rejections jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_agg(CASE WHEN e ->> 'reason' = 'too_fast'
                                 THEN jsonb_set(e, '{message}', to_jsonb(regexp_replace(e ->> 'message', 'the [0-9.]+ tiles', 'the N tiles')))
                                 ELSE e END ORDER BY o), '[]')
    FROM jsonb_array_elements(rejections) WITH ORDINALITY AS t(e, o)
$$;
GRANT EXECUTE ON FUNCTION tests.without_allowance(jsonb) TO bridge;

-- api.enter_room ==================================================================================

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ann'));

SELECT is(api.enter_room('field'),
  jsonb_build_object('type', 'presence_state', 'world', 'ark', 'room', 'field', 'players', jsonb_build_array(jsonb_build_object(
    'user_id', tests.id_of('Ann'), 'display_name', 'Ann', 'avatar_sprite', 'brendan', 'x', 5, 'y', 5, 'direction', 'right',
    'status', 'online', 'meeting', NULL))),
  'enter_room on a first visit puts the player at the room''s first player spawn point by slug (not the agent spawn, not the default spawn) and returns presence_state');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq(format('SELECT session_token, move_budget FROM app.player_presence WHERE user_id = %L', tests.id_of('Ann')),
  $$VALUES ('rest', 11::real)$$,
  'enter_room marks the presence as owned by REST and starts with a full allowance (max_speed + 1)');

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT is(api.move(6, 5, 'down'), jsonb_build_object('user_id', tests.id_of('Ann'), 'x', 6, 'y', 5, 'direction', 'down', 'world', 'ark', 'room', 'field'),
  'move answers the accepted move and the room');
SELECT is(api.leave_room(), '{"world": "ark", "room": "field", "x": 6, "y": 5, "direction": "down"}'::jsonb,
  'leave_room answers the saved position');
SELECT is((api.enter_room('field') -> 'players' -> 0) - 'user_id',
  '{"display_name": "Ann", "avatar_sprite": "brendan", "x": 6, "y": 5, "direction": "down", "status": "online", "meeting": null}'::jsonb,
  'enter_room after leaving continues at the position saved in the same room');
SELECT is((api.enter_room('annex') -> 'players' -> 0) - 'user_id',
  '{"display_name": "Ann", "avatar_sprite": "brendan", "x": 2, "y": 3, "direction": "down", "status": "online", "meeting": null}'::jsonb,
  'enter_room in a room without a player spawn point uses its default spawn, facing down');
SELECT is((api.enter_room('field') -> 'players' -> 0) - 'user_id',
  '{"display_name": "Ann", "avatar_sprite": "brendan", "x": 5, "y": 5, "direction": "right", "status": "online", "meeting": null}'::jsonb,
  'enter_room coming from another room puts the player at the spawn point, not where they last stood in this room');

SELECT tests.api_throws_ok(c.call, c.state, c.message, c.why)
  FROM (VALUES
    ($$SELECT api.enter_room('nowhere')$$, 'PT404', 'unknown room', 'enter_room answers 404 for an unknown room'),
    ($$SELECT api.enter_room(' field ')$$, 'PT404', 'unknown room', 'enter_room does not guess a room from a padded slug'),
    ($$SELECT api.enter_room('')$$, '22023', 'room_slug is required', 'enter_room refuses an empty slug'),
    ($$SELECT api.enter_room('   ')$$, '22023', 'room_slug is required', 'enter_room refuses a blank slug'),
    ($$SELECT api.enter_room(NULL)$$, '22023', 'room_slug is required', 'enter_room refuses a missing slug')
  ) AS c(call, state, message, why);
SELECT is(tests.error_of($$SELECT api.enter_room('nowhere')$$) ->> 'hint', 'GET /rooms lists the rooms.',
  'the hint for an unknown room points at GET /rooms');
SELECT is((tests.error_of($$SELECT api.enter_room(E'x\r\nSet-Cookie: a=1')$$) ->> 'detail')::jsonb,
  jsonb_build_object('room_slug', E'x\r\nSet-Cookie: a=1'),
  'the unknown slug is in details, as JSON, and nowhere in the message that PostgREST''s status line would carry');

-- as a player whose account was deleted
SELECT tests.authenticate_as('00000000-0000-4000-8000-000000000d0d');
SELECT tests.api_throws_ok($$SELECT api.enter_room('field')$$, 'PT401', 'this account no longer exists',
  'enter_room with the token of a deleted account answers 401');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq($$SELECT * FROM tests.spot('Ann')$$, $$VALUES ('field', 5, 5, 'right', 'online')$$,
  'the refused enter_room calls left the player where they were');

-- as web_anon
SELECT tests.clear_authentication();
SELECT throws_ok($$SELECT api.enter_room('field')$$, '42501', 'permission denied for function enter_room',
  'web_anon may not enter a room');
SELECT throws_ok($$SELECT api.move(1, 1, 'up')$$, '42501', 'permission denied for function move',
  'web_anon may not move');
SELECT throws_ok($$SELECT api.leave_room()$$, '42501', 'permission denied for function leave_room',
  'web_anon may not leave a room');

-- as agent_service
SELECT tests.authenticate_service('agent_service');
SELECT throws_ok($$SELECT api.enter_room('field')$$, '42501', 'permission denied for function enter_room',
  'agent_service may not enter a room');

-- api.move: rejections ============================================================================

-- as the owner: Ann at (5, 5) in field with plenty of allowance, so only the rule under test can refuse.
SELECT tests.as_owner();
SELECT tests.allow('Ann', 11);
CREATE TABLE tests.bad_moves (call text, message text, reason text, why text);
GRANT SELECT ON tests.bad_moves TO player;
INSERT INTO tests.bad_moves VALUES
  ($$SELECT api.move(NULL, 5, 'up')$$,   'invalid move: x and y must be whole numbers of tiles',    'bad_position', 'x missing'),
  ($$SELECT api.move(5, NULL, 'up')$$,   'invalid move: x and y must be whole numbers of tiles',    'bad_position', 'y missing'),
  ($$SELECT api.move(6, 5, 'north')$$,   'invalid move: direction must be up, down, left or right', 'bad_direction', 'north'),
  ($$SELECT api.move(6, 5, 'UP')$$,      'invalid move: direction must be up, down, left or right', 'bad_direction', 'UP (case matters)'),
  ($$SELECT api.move(6, 5, NULL)$$,      'invalid move: direction must be up, down, left or right', 'bad_direction', 'direction missing'),
  ($$SELECT api.move(30, 5, 'right')$$,  'invalid move: (30, 5) lies outside field, which is 30 x 20 tiles', 'outside_room', 'x = width'),
  ($$SELECT api.move(5, -1, 'up')$$,     'invalid move: (5, -1) lies outside field, which is 30 x 20 tiles', 'outside_room', 'y = -1'),
  ($$SELECT api.move(-1, 5, 'left')$$,   'invalid move: (-1, 5) lies outside field, which is 30 x 20 tiles', 'outside_room', 'x = -1'),
  ($$SELECT api.move(5, 20, 'down')$$,   'invalid move: (5, 20) lies outside field, which is 30 x 20 tiles', 'outside_room', 'y = height');

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ann'));

SELECT throws_ok(m.call, '22023', m.message, format('move refuses %s with 22023 and its message', m.why))
  FROM tests.bad_moves m;
SELECT is(tests.error_of(m.call) ->> 'detail', m.reason, format('move refuses %s with DETAIL %s', m.why, m.reason))
  FROM tests.bad_moves m;
SELECT is(tests.error_of($$SELECT api.move(30, 5, 'right')$$) ->> 'hint', 'Stay inside the room and face up, down, left or right.',
  'the hint of a move outside the room');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq($$SELECT x, y, direction, status FROM tests.spot('Ann')$$, $$VALUES (5, 5, 'right', 'online')$$,
  'refused moves leave the player where they stood');
SELECT results_eq(format('SELECT move_budget FROM app.player_presence WHERE user_id = %L', tests.id_of('Ann')), ARRAY[11::real],
  'refused moves spend no allowance');

-- as a player who never entered a room
SELECT tests.authenticate_as(tests.id_of('Eve'));
SELECT throws_ok($$SELECT api.move(1, 1, 'up')$$, '22023', 'invalid move: join a room before moving',
  'move refuses a player who has not entered a room');
SELECT is(tests.error_of($$SELECT api.move(1, 1, 'up')$$) - 'message' - 'sqlstate',
  '{"detail": "not_in_room", "hint": "Call /rpc/enter_room first."}'::jsonb,
  'its DETAIL is not_in_room and the hint says to enter a room');

-- as a player who left
SELECT tests.authenticate_as(tests.id_of('Cat'));
SELECT api.enter_room('field');
SELECT api.leave_room();
SELECT is(tests.error_of($$SELECT api.move(5, 6, 'down')$$) ->> 'detail', 'not_in_room',
  'move refuses a player who has left their room (offline) as not_in_room');

-- api.move: the speed rule (token bucket) =========================================================

-- exactly the allowance passes
SELECT tests.as_owner();
SELECT tests.allow('Ann', 3);
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT lives_ok($$SELECT api.move(8, 5, 'right')$$, 'a move of exactly the allowance (3 tiles of 3) is accepted');
SELECT tests.as_owner();
SELECT results_eq(format('SELECT x, y, move_budget, moved_at <= clock_timestamp(), last_update = moved_at FROM app.player_presence WHERE user_id = %L',
                         tests.id_of('Ann')),
  $$VALUES (8, 5, 0::real, true, true)$$,
  'the accepted move updates the row: position, allowance spent to 0, moved_at and last_update stamped now');

-- the spent allowance is gone
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT matches(tests.error_of($$SELECT api.move(9, 5, 'right')$$) ->> 'message',
  '^invalid move: a move of 1\.00 tiles exceeds the 0\.[0-9]{2} tiles allowed now \(max_speed 10 tiles/s\)$',
  'right after spending the allowance, even one tile is too fast');

-- just over the allowance fails
SELECT tests.as_owner();
SELECT tests.allow('Ann', 3);
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT throws_ok($$SELECT api.move(11, 6, 'right')$$, '22023',
  'invalid move: a move of 3.16 tiles exceeds the 3.00 tiles allowed now (max_speed 10 tiles/s)',
  'a diagonal move of sqrt(10) tiles with 3 tiles allowed is too fast');
SELECT is(tests.error_of($$SELECT api.move(11, 6, 'right')$$) - 'message' - 'sqlstate',
  '{"detail": "too_fast", "hint": "Move in smaller steps; the allowance refills at the room''s max_speed."}'::jsonb,
  'its DETAIL is too_fast, with a hint about the refill');
SELECT tests.as_owner();
SELECT tests.allow('Ann', 4.99);
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT throws_ok($$SELECT api.move(11, 9, 'down')$$, '22023',
  'invalid move: a move of 5.00 tiles exceeds the 4.99 tiles allowed now (max_speed 10 tiles/s)',
  'a move of 5 tiles (3, 4) with 4.99 allowed is too fast');
SELECT tests.as_owner();
SELECT results_eq($$SELECT x, y FROM tests.spot('Ann')$$, $$VALUES (8, 5)$$, 'the too-fast moves left the player in place');
SELECT tests.allow('Ann', 5);
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT lives_ok($$SELECT api.move(11, 9, 'down')$$, 'the same move of 5 tiles with 5 allowed is accepted');

-- the allowance refills at max_speed tiles per second
SELECT tests.as_owner();
SELECT tests.allow('Ann', 0, interval '300 milliseconds');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT lives_ok($$SELECT api.move(14, 9, 'right')$$, '0.3 s after an empty allowance, 3 tiles at 10 tiles/s are accepted');
SELECT tests.as_owner();
SELECT tests.allow('Ann', 0, interval '250 milliseconds');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT is(tests.error_of($$SELECT api.move(17, 9, 'right')$$) ->> 'detail', 'too_fast',
  '0.25 s after an empty allowance, 3 tiles at 10 tiles/s are too fast');

-- ... up to max_speed + 1 tiles
SELECT tests.as_owner();
SELECT tests.allow('Ann', 0, interval '1 hour');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT lives_ok($$SELECT api.move(25, 9, 'right')$$, 'after a long rest, max_speed + 1 = 11 tiles are accepted');
SELECT tests.as_owner();
SELECT tests.allow('Ann', 0, interval '1 hour');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT throws_ok($$SELECT api.move(13, 9, 'left')$$, '22023',
  'invalid move: a move of 12.00 tiles exceeds the 11.00 tiles allowed now (max_speed 10 tiles/s)',
  'after a long rest, 12 tiles are too fast: the allowance is capped at max_speed + 1');

-- turning in place costs a quarter tile (issue 8: free turns let one client flood every watcher)
SELECT tests.as_owner();
SELECT tests.allow('Ann', 0);
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT is(tests.error_of($$SELECT api.move(25, 9, 'up')$$) ->> 'detail', 'too_fast',
  'turning in place is refused with no allowance left');
SELECT tests.as_owner();
SELECT tests.allow('Ann', 0.25);
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT is(api.move(25, 9, 'up') ->> 'direction', 'up', 'turning in place is accepted with a quarter tile left');

-- the speed comes from the room's row
SELECT tests.as_owner();
UPDATE app.rooms SET max_speed = 2 WHERE slug = 'field';
SELECT tests.allow('Ann', 0, interval '1 hour');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT lives_ok($$SELECT api.move(22, 9, 'left')$$, 'with max_speed 2, 3 tiles (max_speed + 1) are accepted after a rest');
SELECT tests.as_owner();
SELECT tests.allow('Ann', 0, interval '1 hour');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT throws_ok($$SELECT api.move(18, 9, 'left')$$, '22023',
  'invalid move: a move of 4.00 tiles exceeds the 3.00 tiles allowed now (max_speed 2 tiles/s)',
  'with max_speed 2, 4 tiles are too fast');
SELECT tests.as_owner();
UPDATE app.rooms SET max_speed = 10 WHERE slug = 'field';

-- Entering the room one stands in again must not refill the allowance: else enter, move 11, enter,
-- move 11, ... outruns max_speed without limit (a join frame does the same through the bridge).
SELECT tests.allow('Ann', 0);
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT api.enter_room('field');
SELECT is(tests.error_of($$SELECT api.move(22, 10, 'down')$$) ->> 'detail', 'too_fast',
  'entering the room one already stands in again does not refill the move allowance');

-- the presence frames: pure functions =============================================================

-- as the owner: Ann and Ben in field, Cat offline in field, Dan in annex.
SELECT tests.as_owner();
UPDATE app.player_presence SET x = 22, y = 9, direction = 'left' WHERE user_id = tests.id_of('Ann');
SELECT tests.authenticate_as(tests.id_of('Ben'));
SELECT api.enter_room('field');
SELECT tests.authenticate_as(tests.id_of('Dan'));
SELECT api.enter_room('annex');
SELECT tests.as_owner();

SELECT is(app.presence_state(tests.room_id('field')),
  jsonb_build_object('type', 'presence_state', 'world', 'ark', 'room', 'field', 'players', jsonb_build_array(
    jsonb_build_object('user_id', tests.id_of('Ann'), 'display_name', 'Ann', 'avatar_sprite', 'brendan',
                       'x', 22, 'y', 9, 'direction', 'left', 'status', 'online', 'meeting', NULL),
    jsonb_build_object('user_id', tests.id_of('Ben'), 'display_name', 'Ben', 'avatar_sprite', 'may',
                       'x', 5, 'y', 5, 'direction', 'right', 'status', 'online', 'meeting', NULL))),
  'presence_state lists the room''s players who are not offline, by name, each as {user_id, display_name, avatar_sprite, x, y, direction, status, meeting}');
SELECT is(app.presence_state(tests.room_id('yard')), '{"type": "presence_state", "world": "ark", "room": "yard", "players": []}'::jsonb,
  'presence_state of an empty room has no players');
SELECT is(app.presence_state(gen_random_uuid()), NULL, 'presence_state of an unknown room is NULL');
SELECT is(app.presence_player(tests.id_of('Dan')),
  jsonb_build_object('user_id', tests.id_of('Dan'), 'display_name', 'Dan', 'avatar_sprite', 'brendan',
                     'x', 2, 'y', 3, 'direction', 'down', 'status', 'online'),
  'presence_player shows one player as frames do');
SELECT is(app.presence_player(tests.id_of('Eve')), NULL, 'presence_player of a player without presence is NULL');

-- api.presence ====================================================================================

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ben'));
SELECT results_eq(format($$SELECT display_name::text, room_slug::text, x, y, direction::text, status::text FROM api.presence
                            WHERE user_id IN (SELECT id FROM tests.actors) ORDER BY display_name$$),
  $$VALUES ('Ann', 'field', 22, 9, 'left', 'online'), ('Ben', 'field', 5, 5, 'right', 'online'), ('Dan', 'annex', 2, 3, 'down', 'online')$$,
  'api.presence shows every player who is not offline, in every room, and not the one who left');
SELECT throws_ok('SELECT session_token FROM api.presence', '42703', 'column "session_token" does not exist',
  'api.presence has no session_token column');

-- api.leave_room ==================================================================================

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ben'));
SELECT is(api.leave_room(), '{"world": "ark", "room": "field", "x": 5, "y": 5, "direction": "right"}'::jsonb,
  'leave_room answers the room and the saved position');
SELECT is(api.leave_room(), NULL, 'a second leave_room answers NULL');
SELECT results_eq(format($$SELECT display_name::text FROM api.presence WHERE user_id IN (SELECT id FROM tests.actors) ORDER BY 1$$),
  ARRAY['Ann', 'Dan'], 'the player who left is gone from api.presence');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq(format('SELECT x, y, direction::text, status::text, session_token FROM app.player_presence WHERE user_id = %L',
                         tests.id_of('Ben')),
  $$VALUES (5, 5, 'right', 'offline', NULL::text)$$,
  'leave_room keeps the position and goes offline without a session token');

-- realtime.join and realtime.leave ================================================================

-- as the bridge
SELECT tests.as_bridge();
SELECT is(realtime.join(tests.id_of('Eve'), 'yard', 'sock-1') -> 'players',
  jsonb_build_array(jsonb_build_object('user_id', tests.id_of('Eve'), 'display_name', 'Eve', 'avatar_sprite', 'brendan',
                                       'x', 10, 'y', 10, 'direction', 'down', 'status', 'online', 'meeting', NULL)),
  'join puts a player in the room and answers its presence_state');
SELECT is(realtime.apply_moves(format('[{"user_id": "%s", "x": 11, "y": 10, "direction": "right"}]', tests.id_of('Eve'))::jsonb), '[]',
  'the bridge moves the player');
SELECT is((realtime.join(tests.id_of('Eve'), 'yard', 'sock-2') -> 'players' -> 0) - 'user_id',
  '{"display_name": "Eve", "avatar_sprite": "brendan", "x": 11, "y": 10, "direction": "right", "status": "online", "meeting": null}'::jsonb,
  'a second join to the same room (a reconnect) keeps the position');
SELECT is(realtime.leave(tests.id_of('Eve'), 'sock-1'), NULL,
  'leave for the old connection does nothing once another connection owns the presence');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq(format('SELECT status::text, session_token FROM app.player_presence WHERE user_id = %L', tests.id_of('Eve')),
  $$VALUES ('online', 'sock-2')$$, 'the reconnected player is still online, owned by the new connection');

-- as the bridge
SELECT tests.as_bridge();
SELECT is(realtime.leave(tests.id_of('Eve'), 'sock-2'), '{"world": "ark", "room": "yard", "x": 11, "y": 10, "direction": "right"}'::jsonb,
  'leave for the owning connection ends the presence and answers the saved position');
SELECT is(realtime.leave(tests.id_of('Eve')), NULL, 'leave of a player who is offline already answers NULL');
SELECT is(realtime.join(tests.id_of('Eve'), 'yard', 'sock-3') -> 'players' -> 0 ->> 'x', '11',
  'joining again after leaving starts from the saved position');
SELECT isnt(realtime.leave(tests.id_of('Eve')), NULL, 'leave without a connection (a leave frame) ends the presence whoever owns it');

-- realtime.set_status =============================================================================

-- as the bridge
SELECT tests.as_bridge();
SELECT realtime.join(tests.id_of('Dan'), 'annex', 'sock-d');
SELECT lives_ok(format($$SELECT realtime.set_status(%L, 'busy')$$, tests.id_of('Dan')), 'set_status busy');
SELECT is(realtime.join(tests.id_of('Dan'), 'annex', 'sock-d2') -> 'players' -> 0 ->> 'status', 'busy',
  'a reconnect to the same room keeps busy');
SELECT lives_ok(format($$SELECT realtime.set_status(%L, 'away')$$, tests.id_of('Dan')), 'set_status away');
SELECT tests.as_owner();
SELECT results_eq($$SELECT status FROM tests.spot('Dan')$$, ARRAY['away'], 'set_status writes the status');
SELECT tests.as_bridge();
SELECT throws_ok(format($$SELECT realtime.set_status(%L, %L)$$, tests.id_of('Dan'), s.status), '22023',
  'status must be online, away or busy', format('set_status refuses %s', coalesce(quote_literal(s.status), 'NULL')))
  FROM (VALUES ('offline'), ('sleeping'), ('Busy'), (NULL)) AS s(status);
SELECT throws_ok(format($$SELECT realtime.set_status(%L, 'busy')$$, tests.id_of('Ben')), '22023',
  'join a room before changing status', 'set_status refuses a player who is offline');
SELECT throws_ok(format($$SELECT realtime.set_status(%L, 'busy')$$, gen_random_uuid()), '22023',
  'join a room before changing status', 'set_status refuses a user without presence');

-- realtime.apply_moves ============================================================================

-- as the owner: Ann (allowance 2, frozen), Ben and Cat (fresh) in yard, where max_speed is 1; Eve
-- offline, Ben with a full allowance of 2.
SELECT tests.as_owner();
UPDATE app.player_presence SET room_id = tests.room_id('yard'), x = 12, y = 10, direction = 'right', status = 'online'
 WHERE user_id = tests.id_of('Ann');
SELECT tests.allow('Ann', 2);
SELECT tests.as_bridge();
SELECT realtime.join(tests.id_of('Ben'), 'yard', 'sock-b');
SELECT realtime.join(tests.id_of('Cat'), 'yard', 'sock-c');
SELECT realtime.leave(tests.id_of('Eve'));

SELECT realtime.apply_moves(replace(replace(replace(replace($$[
  {"user_id": "ANN", "x": 13, "y": 10, "direction": "right"},
  {"user_id": "ANN", "x": 14, "y": 10, "direction": "right"},
  {"user_id": "ANN", "x": 15, "y": 10, "direction": "right"},
  {"user_id": "BEN", "x": 10, "y": 11, "direction": "down"},
  {"user_id": "CAT", "x": 20, "y": 10, "direction": "right"},
  {"user_id": "CAT", "x": 10, "y": -1, "direction": "up"},
  {"user_id": "not-a-uuid", "x": 1, "y": 1, "direction": "up"},
  {"user_id": 42, "x": 1, "y": 1, "direction": "up"},
  {"x": 1, "y": 1, "direction": "up"},
  "move",
  {"user_id": "EVE", "x": 11, "y": 11, "direction": "down"},
  {"user_id": "00000000-0000-4000-8000-0000000000ff", "x": 1, "y": 1, "direction": "up"},
  {"user_id": "CAT", "x": "11", "y": 10, "direction": "right"},
  {"user_id": "CAT", "x": 10.5, "y": 10, "direction": "right"},
  {"user_id": "CAT", "x": 1e20, "y": 10, "direction": "right"},
  {"user_id": "CAT", "x": 2147483648, "y": 10, "direction": "right"},
  {"user_id": "CAT", "x": 10, "y": null, "direction": "right"},
  {"user_id": "CAT", "y": 10, "direction": "right"},
  {"user_id": "CAT", "x": 11, "y": 10, "direction": "sideways"},
  {"user_id": "CAT", "x": 11, "y": 10}
]$$, 'ANN', tests.id_of('Ann')::text), 'BEN', tests.id_of('Ben')::text), 'CAT', tests.id_of('Cat')::text), 'EVE', tests.id_of('Eve')::text)::jsonb)
  AS rejected \gset

SELECT is(tests.without_allowance(:'rejected'),
  replace(replace(replace($$[
    {"user_id": "ANN", "reason": "too_fast", "message": "a move of 1.00 tiles exceeds the N tiles allowed now (max_speed 1 tiles/s)"},
    {"user_id": "CAT", "reason": "outside_room", "message": "(20, 10) lies outside yard, which is 20 x 20 tiles"},
    {"user_id": "CAT", "reason": "outside_room", "message": "(10, -1) lies outside yard, which is 20 x 20 tiles"},
    {"user_id": "not-a-uuid", "reason": "bad_frame", "message": "user_id must be a uuid"},
    {"user_id": 42, "reason": "bad_frame", "message": "user_id must be a uuid"},
    {"user_id": null, "reason": "bad_frame", "message": "user_id must be a uuid"},
    {"user_id": null, "reason": "bad_frame", "message": "user_id must be a uuid"},
    {"user_id": "EVE", "reason": "not_in_room", "message": "join a room before moving"},
    {"user_id": "00000000-0000-4000-8000-0000000000ff", "reason": "not_in_room", "message": "join a room before moving"},
    {"user_id": "CAT", "reason": "bad_position", "message": "x and y must be whole numbers of tiles"},
    {"user_id": "CAT", "reason": "bad_position", "message": "x and y must be whole numbers of tiles"},
    {"user_id": "CAT", "reason": "bad_position", "message": "x and y must be whole numbers of tiles"},
    {"user_id": "CAT", "reason": "bad_position", "message": "x and y must be whole numbers of tiles"},
    {"user_id": "CAT", "reason": "bad_position", "message": "x and y must be whole numbers of tiles"},
    {"user_id": "CAT", "reason": "bad_position", "message": "x and y must be whole numbers of tiles"},
    {"user_id": "CAT", "reason": "bad_direction", "message": "direction must be up, down, left or right"},
    {"user_id": "CAT", "reason": "bad_direction", "message": "direction must be up, down, left or right"}
  ]$$, 'ANN', tests.id_of('Ann')::text), 'CAT', tests.id_of('Cat')::text), 'EVE', tests.id_of('Eve')::text)::jsonb,
  'apply_moves answers exactly the rejected moves, in order, as {user_id, reason, message}: the third of three moves (the allowance spent by the first two), moves outside, non-uuid and missing user ids, players not in a room, and x that is a string, a fraction, huge, beyond integer or missing');
SELECT matches(:'rejected'::jsonb -> 0 ->> 'message', 'exceeds the 0\.0[0-9] tiles allowed',
  'the third move found the allowance spent by the first two in the same batch');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq($$SELECT p.* FROM unnest(ARRAY['Ann', 'Ben', 'Cat']) WITH ORDINALITY AS n(name, o), tests.spot(n.name) p ORDER BY n.o$$,
  $$VALUES ('yard', 14, 10, 'right', 'online'), ('yard', 10, 11, 'down', 'online'), ('yard', 10, 10, 'down', 'online')$$,
  'apply_moves applied the valid moves (Ann''s first two, Ben''s) and none of the rejected ones');
SELECT cmp_ok((SELECT move_budget FROM app.player_presence WHERE user_id = tests.id_of('Ann')), '<', 0.01::real,
  'two one-tile moves spent Ann''s allowance of 2 cumulatively');

-- as the bridge
SELECT tests.as_bridge();
SELECT throws_ok(format('SELECT realtime.apply_moves(%s)', m.moves), '22023', 'moves must be a JSON array',
  format('apply_moves refuses %s', m.why))
  FROM (VALUES ($$'{"user_id": "x"}'::jsonb$$, 'an object'), ($$'"moves"'::jsonb$$, 'a string'),
               ($$'null'::jsonb$$, 'JSON null'), ('NULL', 'SQL NULL')) AS m(moves, why);
SELECT is(realtime.apply_moves('[]'), '[]', 'an empty batch answers no rejections');

-- A client may write a whole number as 10.0 (Python's json does for floats). One such frame must not
-- abort the whole tick, everyone's moves included.
SELECT tests.as_owner();
SELECT tests.allow('Ben', 2);
SELECT tests.allow('Cat', 2);
SELECT tests.as_bridge();
SELECT is(tests.error_of(format($$SELECT realtime.apply_moves('[{"user_id": "%s", "x": 11, "y": 10, "direction": "right"},
                                                                {"user_id": "%s", "x": 10.0, "y": 12.0, "direction": "down"}]')$$,
                                tests.id_of('Cat'), tests.id_of('Ben'))), NULL,
  'apply_moves does not raise for x = 10.0, a whole number written with a fraction');
SELECT tests.as_owner();
SELECT results_eq($$SELECT x, y FROM tests.spot('Cat')$$, $$VALUES (11, 10)$$,
  'the other moves of a batch with x = 10.0 in it are applied');

-- realtime.touch ==================================================================================

-- as the owner: Ann online, Ben away, Cat offline, all idle for 5 minutes.
SELECT tests.as_owner();
UPDATE app.player_presence SET status = s.status::app.presence_status, last_update = now() - interval '5 minutes'
  FROM (VALUES ('Ann', 'online'), ('Ben', 'away'), ('Cat', 'offline')) AS s(name, status)
 WHERE user_id = tests.id_of(s.name);

-- as the bridge
SELECT tests.as_bridge();
SELECT is(realtime.touch(ARRAY[tests.id_of('Ann'), tests.id_of('Ben'), tests.id_of('Cat'), gen_random_uuid()]), 2,
  'touch counts the players it touched: the online and the away one');
SELECT is(realtime.touch('{}'), 0, 'touch of nobody touches nothing');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq($$SELECT n, p.last_update = now(), p.status::text FROM unnest(ARRAY['Ann', 'Ben', 'Cat']) n
                    JOIN app.player_presence p ON p.user_id = tests.id_of(n) ORDER BY n$$,
  $$VALUES ('Ann', true, 'online'), ('Ben', true, 'away'), ('Cat', false, 'offline')$$,
  'touch refreshed last_update of the online and away players only, and changed no status');

-- realtime.sweep ==================================================================================

-- as the owner: everyone fresh, then one player per case.
SELECT tests.as_owner();
UPDATE app.player_presence SET last_update = now() WHERE status <> 'offline';
CREATE TABLE tests.sweep_cases (name text, status text, idle interval, status_after text, token_after text);
INSERT INTO tests.sweep_cases VALUES
  ('Fresh',   'online',  interval '30 seconds',  'online',  'sock'),
  ('Edge60',  'online',  interval '60 seconds',  'online',  'sock'),
  ('Idle',    'online',  interval '61 seconds',  'away',    'sock'),
  ('Busy',    'busy',    interval '90 seconds',  'away',    'sock'),
  ('Edge120', 'online',  interval '120 seconds', 'away',    'sock'),
  ('Drowsy',  'away',    interval '90 seconds',  'away',    'sock'),
  ('Gone',    'online',  interval '121 seconds', 'offline', NULL),
  ('Faded',   'away',    interval '300 seconds', 'offline', NULL),
  ('Left',    'offline', interval '1 hour',      'offline', NULL);
SELECT tests.create_user(name) FROM tests.sweep_cases;
INSERT INTO app.player_presence (user_id, room_id, x, y, status, session_token, last_update)
SELECT tests.id_of(c.name), tests.room_id('yard'), 1, 1, c.status::app.presence_status,
       CASE WHEN c.status <> 'offline' THEN 'sock' END, now() - c.idle
  FROM tests.sweep_cases c;

-- as the bridge
SELECT tests.as_bridge();
SELECT is(realtime.sweep(), '{"away": 3, "offline": 2}'::jsonb,
  'sweep counts exactly those idle over 60 s who become away (online or busy) and those idle over 120 s who go offline');

-- as the owner
SELECT tests.as_owner();
SELECT results_eq($$SELECT c.name, p.status::text, p.session_token, p.last_update = now() - c.idle FROM tests.sweep_cases c
                    JOIN app.player_presence p ON p.user_id = tests.id_of(c.name) ORDER BY c.name$$,
  $$SELECT name, status_after, token_after, true FROM tests.sweep_cases ORDER BY name$$,
  'sweep left fresh players and those at exactly 60 s alone, made the idle away and the long idle offline without a session token, and did not touch last_update');
SELECT is_empty($$SELECT FROM app.player_presence WHERE status <> 'offline' AND last_update < now() - interval '120 seconds'$$,
  'after a sweep nobody idle over 120 s is left online, away or busy');

-- as the bridge
SELECT tests.as_bridge();
SELECT is(realtime.sweep(), '{"away": 0, "offline": 0}'::jsonb, 'a second sweep finds nothing to do');
SELECT is(realtime.sweep(interval '10 seconds', interval '20 seconds'), '{"away": 0, "offline": 6}'::jsonb,
  'sweep with shorter limits takes everyone idle over 20 s offline (the six left online or away)');
SELECT is(jsonb_path_query_array(realtime.room_state('yard'), '$.players[*] ? (@.status != "offline").display_name'), '["Ann", "Ben"]',
  'room_state answers the room''s presence_state: only the two players touched a moment ago are left in yard');
SELECT is(realtime.room_state('nowhere'), NULL, 'room_state of an unknown room is NULL');

-- Who may call what ===============================================================================

-- as the owner
SELECT tests.as_owner();
CREATE TABLE tests.callers (function regprocedure, allowed text[]);
INSERT INTO tests.callers VALUES
  ('realtime.join(uuid, text, text, text)',  '{bridge}'),
  ('realtime.apply_moves(jsonb)',            '{bridge}'),
  ('realtime.set_status(uuid, text)',        '{bridge}'),
  ('realtime.leave(uuid, text)',             '{bridge}'),
  ('realtime.touch(uuid[])',                 '{bridge}'),
  ('realtime.sweep(interval, interval)',     '{bridge}'),
  ('realtime.room_state(text, text)',        '{bridge}'),
  ('realtime.rejoin_room(text, jsonb, text)','{bridge}'),
  ('api.enter_room(text, text)',             '{player}'),
  ('api.move(integer, integer, text)',       '{player}'),
  ('api.leave_room()',                       '{player}');
-- Who may execute a function: the API roles, authenticator (it must not run anything before it
-- switches role) and PUBLIC.
CREATE FUNCTION tests.executors(f regprocedure) RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY(SELECT r FROM unnest(ARRAY['web_anon', 'player', 'agent_service', 'content_admin', 'bridge', 'authenticator']) r
                WHERE has_function_privilege(r, f, 'EXECUTE'))
      || ARRAY(SELECT 'PUBLIC' FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                WHERE p.oid = f AND a.grantee = 0 AND a.privilege_type = 'EXECUTE')
$$;
SELECT is(tests.executors(c.function), c.allowed, format('%s is executable by %s only', c.function, array_to_string(c.allowed, ', ')))
  FROM tests.callers c;
SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'realtime'::regnamespace
                   AND tests.executors(p.oid::regprocedure) <> '{bridge}'$$,
  'every function in realtime, chat ones included, is executable by bridge only');
SELECT is(p.prosecdef, true, format('%s is SECURITY DEFINER (callers have no grant on app.player_presence)', c.function))
  FROM tests.callers c JOIN pg_proc p ON p.oid = c.function;

-- as a player
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT throws_ok('SELECT realtime.sweep()', '42501', 'permission denied for schema realtime', 'a player may not call the bridge''s functions');
-- as the bridge
SELECT tests.as_bridge();
SELECT throws_ok($$SELECT api.move(1, 1, 'up')$$, '42501', 'permission denied for schema api', 'the bridge may not call api functions');
SELECT throws_ok($$SELECT app.presence_move(gen_random_uuid(), 1, 1, 'up', now())$$, '42501', 'permission denied for schema app',
  'the bridge may not call the app rules directly');

SELECT * FROM finish();
ROLLBACK;
