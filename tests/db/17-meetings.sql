-- Meeting rooms (issue 14): zone attendance through app's move rule (REST move and the socket's batched
-- realtime.apply_moves, leave, grace, sweep, another room), sessions opened by the first one in and
-- closed by the last one out, durations, Jitsi tokens (503 without Jitsi, 403 outside the zone, the
-- documented claims, signed with the Jitsi secret), event_sync events counted once, and the grants:
-- only jitsi_service posts events, only players in the zone get tokens, no API role reads the secret.
-- Frames are recorded into tests.frames for this transaction, as in 14-world-presence.sql.
BEGIN;
\ir helpers.psql

SELECT plan(74);

CREATE TABLE tests.frames (n bigserial PRIMARY KEY, frame jsonb NOT NULL);
GRANT INSERT, SELECT, DELETE ON tests.frames TO bridge, player;
GRANT USAGE ON SEQUENCE tests.frames_n_seq TO bridge, player;
CREATE OR REPLACE FUNCTION app.presence_notify(frame jsonb) RETURNS void
  LANGUAGE sql SET search_path = '' AS $$ INSERT INTO tests.frames (frame) VALUES (frame) $$;
-- The meeting frames recorded since the last call, as "type user", in order; they are forgotten.
CREATE FUNCTION tests.meeting_frames() RETURNS text[] LANGUAGE sql SECURITY DEFINER AS $$
  WITH taken AS (DELETE FROM tests.frames RETURNING n, frame)
  SELECT coalesce(array_agg((frame ->> 'type') || ' ' || a.name ORDER BY n), '{}')
    FROM taken JOIN tests.actors a ON a.id = (frame ->> 'user_id')::uuid
   WHERE frame ->> 'type' LIKE 'meeting_%'
$$;
CREATE FUNCTION tests.world(slug text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM app.worlds w WHERE w.slug = world.slug $$;
-- Who is in a zone meeting now, and the open sessions, as the owner sees them.
CREATE FUNCTION tests.in_meeting() RETURNS text[] LANGUAGE sql STABLE SECURITY DEFINER AS $$
  SELECT coalesce(array_agg(t.name ORDER BY t.name), '{}') FROM app.meeting_attendance a JOIN tests.actors t ON t.id = a.user_id
   WHERE a.left_at IS NULL AND a.source = 'zone'
$$;
CREATE FUNCTION tests.open_sessions() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER AS $$
  SELECT count(*) FROM app.meeting_sessions WHERE ended_at IS NULL
$$;
CREATE FUNCTION tests.sessions() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER AS $$
  SELECT count(*) FROM app.meeting_sessions
$$;
-- Pretend time passed: every meeting row began a minute earlier.
CREATE FUNCTION tests.a_minute_ago() RETURNS void LANGUAGE sql SECURITY DEFINER AS $$
  UPDATE app.meeting_attendance SET joined_at = joined_at - interval '1 minute' WHERE left_at IS NULL AND source = 'zone';
  UPDATE app.meeting_sessions SET started_at = started_at - interval '1 minute' WHERE ended_at IS NULL;
$$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO bridge, player, jitsi_service;
GRANT USAGE ON SCHEMA tests, tap TO jitsi_service;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tap TO jitsi_service;
GRANT SELECT ON ALL TABLES IN SCHEMA tap TO jitsi_service;
GRANT SELECT ON tests.actors TO jitsi_service;

SELECT tests.create_user('Olga');   -- owner of mt
SELECT tests.create_user('Ed');     -- editor
SELECT tests.create_user('Mia');    -- member
SELECT tests.create_user('Otto');   -- nobody there
INSERT INTO app.worlds (slug, name, owner_id, visibility) VALUES ('mt', 'Meetings', tests.id_of('Olga'), 'private');
INSERT INTO app.world_members (world_id, user_id, role) VALUES
  (tests.world('mt'), tests.id_of('Olga'), 'owner'), (tests.world('mt'), tests.id_of('Ed'), 'editor'),
  (tests.world('mt'), tests.id_of('Mia'), 'member');
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main, max_speed)
VALUES (tests.world('mt'), 'lobby', 'Lobby', 40, 30, 5, 5, true, 100),
       (tests.world('mt'), 'annex', 'Annex', 20, 20, 1, 1, false, 100);
-- The board room covers x 10..13, y 10..12.
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
SELECT id, 'board', 'Board room', 'meeting', 10, 10, 4, 3, 11, 13, 'Board' FROM app.rooms WHERE slug = 'lobby' AND world_id = tests.world('mt');
CREATE FUNCTION tests.board() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER AS $$
  SELECT b.id FROM app.buildings b WHERE b.slug = 'board' AND b.world_id = tests.world('mt')
$$;
GRANT EXECUTE ON FUNCTION tests.board() TO bridge, player, jitsi_service;
SELECT tests.meeting_frames();

-- Jitsi room names ================================================================================
SELECT is(app.meeting_jitsi_name('mt', 'Board'), 'mt_board', 'the Jitsi room is <world slug>_<jitsi_room>, lower case');
SELECT is(app.meeting_building_by_jitsi_name('mt_board'), tests.board(), 'and maps back to its one building');
SELECT is(app.meeting_building_by_jitsi_name('MT_BOARD'), tests.board(), 'whatever case Jitsi reports it in');
SELECT ok(app.meeting_building_by_jitsi_name('board') IS NULL AND app.meeting_building_by_jitsi_name('_board') IS NULL
          AND app.meeting_building_by_jitsi_name('ark_board') IS NULL, 'a name without its world maps to nothing');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                   SELECT id, 'board2', 'Twin', 'meeting', 15, 15, 2, 2, 16, 17, 'BOARD' FROM app.rooms WHERE slug = 'annex' AND world_id = tests.world('mt')$$,
  '23505', NULL, 'two meeting buildings of a world cannot share a Jitsi room');
SELECT lives_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                  SELECT id, 'board', 'Board', 'meeting', 2, 2, 2, 2, 2, 3, 'board' FROM app.rooms WHERE slug = 'town' AND world_id = tests.world('ark')$$,
  'another world may have its own board (ark_board)');

-- Zone entry and exit through the REST move ========================================================
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT lives_ok($$SELECT api.enter_room('lobby', 'mt')$$, 'Mia enters the lobby at its spawn (5, 5)');
SELECT is(tests.in_meeting(), '{}', 'outside the board room she is in no meeting');
SELECT lives_ok($$SELECT api.move(10, 10, 'right')$$, 'Mia walks onto the board room''s corner');
SELECT is(tests.in_meeting(), '{Mia}', 'she is in its meeting');
SELECT is(tests.open_sessions(), 1::bigint, 'the first one in opened a session');
SELECT is(tests.meeting_frames(), '{"meeting_joined Mia"}', 'the room heard meeting_joined');
SELECT is((SELECT f.frame FROM tests.frames f LIMIT 0), NULL, 'nothing else is pending');
SELECT is((api.enter_room('lobby', 'mt') -> 'players' -> 0 ->> 'meeting')::uuid, tests.board(),
          'presence_state shows her meeting');
SELECT lives_ok($$SELECT api.move(13, 12, 'down')$$, 'she walks to the opposite corner, still inside');
SELECT is(tests.meeting_frames(), '{}', 'a move within the zone announces nothing');

-- The socket's batched tick ==========================================================================
SELECT tests.as_bridge();
SELECT lives_ok(format($$SELECT realtime.join(%L, 'lobby', 'ed-socket', 'mt')$$, tests.id_of('Ed')), 'Ed joins over the socket');
SELECT is(realtime.apply_moves(jsonb_build_array(
            jsonb_build_object('user_id', tests.id_of('Ed'), 'x', 11, 'y', 11, 'direction', 'up'),
            jsonb_build_object('user_id', tests.id_of('Mia'), 'x', 12, 'y', 12, 'direction', 'left'))), '[]'::jsonb,
          'one tick: Ed walks in as Mia moves about inside');
SELECT is(tests.in_meeting(), '{Ed,Mia}', 'both are in the meeting');
SELECT is(tests.meeting_frames(), '{"meeting_joined Ed"}', 'Ed''s entry announced once');
SELECT is(realtime.apply_moves(jsonb_build_array(
            jsonb_build_object('user_id', tests.id_of('Mia'), 'x', 14, 'y', 12, 'direction', 'right'))), '[]'::jsonb,
          'the next tick: Mia steps out');
SELECT is(tests.in_meeting(), '{Ed}', 'Ed is in the meeting, Mia is not');
SELECT is(tests.meeting_frames(), '{"meeting_left Mia"}', 'her leaving announced once');
SELECT is(tests.open_sessions(), 1::bigint, 'the session stays open while Ed is in it');
SELECT is(tests.sessions(), 1::bigint, 'and it is the same session');
SELECT is(realtime.apply_moves(jsonb_build_array(
            jsonb_build_object('user_id', tests.id_of('Mia'), 'x', 13, 'y', 12, 'direction', 'left'))), '[]'::jsonb,
          'Mia steps back in');
SELECT is(tests.in_meeting(), '{Ed,Mia}', 'both are in it');
SELECT is(jsonb_path_query_array(realtime.room_state('lobby', 'mt'), '$.players[*].meeting'),
          jsonb_build_array(tests.board(), tests.board()), 'presence_state names the meeting of each');

-- Tokens ==============================================================================================
SELECT tests.as_owner();
SELECT auth.set_jitsi_config('', '', '', '');  -- make test deploys with a Jitsi; this installation has none
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT is(tests.error_of($$SELECT api.jitsi_token(NULL)$$) - 'detail' - 'headers',
          '{"sqlstate": "PT503", "message": "this installation has no Jitsi", "status": 503, "status_text": "Service Unavailable", "hint": "The operator sets JITSI_DOMAIN, JITSI_APP_ID and JITSI_APP_SECRET and deploys again."}'::jsonb,
          'without Jitsi a token answers 503, before any other check');
SELECT tests.as_owner();
SELECT throws_ok($$SELECT auth.set_jitsi_config('meet.example.org', 'ark', 'short', NULL)$$, '23514', NULL,
                 'the Jitsi secret has 32 bytes at least');
SELECT throws_ok($$SELECT auth.set_jitsi_config('meet.example.org', '', 'x', NULL)$$, '22023', NULL,
                 'domain, app id and secret go together');
SELECT ok(auth.set_jitsi_config('meet.example.org', 'arkagentic', 'jitsi-secret-jitsi-secret-jitsi-secret-42', ''),
          'the deploy stores the Jitsi settings');
SELECT is((SELECT audience FROM auth.jitsi_config), 'jitsi', 'the audience defaults to jitsi');
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT tests.api_throws_ok($$SELECT api.jitsi_token(NULL)$$, '22023', 'building_id is required', 'a token needs a building');
SELECT tests.api_throws_ok(format($$SELECT api.jitsi_token(%L)$$, gen_random_uuid()), 'PT403',
  'you are not standing in this meeting''s zone', 'an unknown building answers 403');
SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT tests.api_throws_ok(format($$SELECT api.jitsi_token(%L)$$, tests.board()), 'PT403',
  'you are not standing in this meeting''s zone', 'a player outside the zone gets no token');
SELECT tests.authenticate_as(tests.id_of('Mia'));
CREATE TEMP TABLE token AS SELECT api.jitsi_token(tests.board()) AS t;
SELECT is((SELECT t - 'jwt' - 'expires_at' FROM token), '{"room": "mt_board", "domain": "meet.example.org"}'::jsonb,
          'Mia in the zone gets a token for mt_board on meet.example.org');
SELECT is((SELECT tests.jwt_payload(t ->> 'jwt') - 'iat' - 'nbf' - 'exp' FROM token),
          jsonb_build_object('aud', 'jitsi', 'iss', 'arkagentic', 'sub', 'meet.example.org', 'room', 'mt_board',
                             'context', jsonb_build_object('user', jsonb_build_object(
                               'id', tests.id_of('Mia'), 'name', 'Mia', 'avatar', 'brendan', 'moderator', false))),
          'with the documented claims; a member is no moderator');
SELECT ok((SELECT (tests.jwt_payload(t ->> 'jwt') ->> 'exp')::bigint - extract(epoch FROM now())::bigint BETWEEN 3590 AND 3600 FROM token),
          'it expires in an hour');
SELECT is((SELECT tests.jwt_part(t ->> 'jwt', 1) FROM token), '{"alg": "HS256", "typ": "JWT"}'::jsonb, 'HS256');
SELECT tests.as_owner();
SELECT ok((SELECT tests.base64url_decode(split_part(t ->> 'jwt', '.', 3))
                = public.hmac(convert_to(split_part(t ->> 'jwt', '.', 1) || '.' || split_part(t ->> 'jwt', '.', 2), 'UTF8'),
                              convert_to('jitsi-secret-jitsi-secret-jitsi-secret-42', 'UTF8'), 'sha256') FROM token),
          'signed with JITSI_APP_SECRET');
SELECT ok(NOT (SELECT tests.jwt_verifies(t ->> 'jwt') FROM token), 'and not with the API''s JWT secret');
SELECT tests.authenticate_as(tests.id_of('Ed'));
SELECT is(tests.jwt_payload(api.jitsi_token(tests.board()) ->> 'jwt') #> '{context,user,moderator}', 'true'::jsonb,
          'an editor of the world is a moderator');

-- Grants ==============================================================================================
SELECT tests.as_owner();
SELECT is(ARRAY(SELECT r FROM unnest(ARRAY['web_anon', 'player', 'agent_service', 'content_admin', 'jitsi_service', 'bridge', 'authenticator']) r
                 WHERE has_table_privilege(r, 'auth.jitsi_config', 'SELECT') OR has_function_privilege(r, 'auth.jitsi_sign(jsonb)', 'EXECUTE')
                    OR has_function_privilege(r, 'auth.set_jitsi_config(text, text, text, text)', 'EXECUTE')),
          '{}', 'no API role reads the Jitsi secret or signs with it');
SELECT is(ARRAY(SELECT r FROM unnest(ARRAY['web_anon', 'player', 'agent_service', 'content_admin', 'jitsi_service', 'bridge']) r
                 WHERE has_function_privilege(r, 'api.jitsi_event(text, jsonb)', 'EXECUTE')),
          '{jitsi_service}', 'only jitsi_service posts events');
SELECT is(ARRAY(SELECT r FROM unnest(ARRAY['web_anon', 'player', 'agent_service', 'content_admin', 'jitsi_service', 'bridge']) r
                 WHERE has_function_privilege(r, 'api.jitsi_token(uuid)', 'EXECUTE')),
          '{player}', 'only players ask for tokens');
SELECT tests.authenticate_service('jitsi_service');
SELECT throws_ok($$SELECT app_secret FROM auth.jitsi_config$$, '42501', NULL, 'jitsi_service cannot read the secret');
SELECT throws_ok($$SELECT api.jitsi_token(tests.board())$$, '42501', NULL, 'nor ask for a token');
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT throws_ok($$SELECT api.jitsi_event('room/created', '{"room_name": "mt_board"}')$$, '42501', NULL, 'a player cannot post events');
SELECT throws_ok($$SELECT app_secret FROM auth.jitsi_config$$, '42501', NULL, 'nor read the secret');

-- event_sync ==========================================================================================
SELECT tests.authenticate_service('jitsi_service');
CREATE TEMP TABLE joined AS SELECT jsonb_build_object('event_name', 'muc-occupant-joined', 'room_name', 'mt_board',
  'room_jid', 'mt_board@conference.meet.example.org', 'is_breakout', false, 'active_occupants_count', 1,
  'occupant', jsonb_build_object('name', 'Mia', 'id', tests.id_of('Mia'), 'occupant_jid', 'abc@meet.example.org/x1',
                                 'joined_at', extract(epoch FROM now())::bigint - 30)) AS p;
GRANT SELECT ON joined TO jitsi_service;
SELECT is((SELECT api.jitsi_event('occupant/joined', p) ->> 'recorded' FROM joined), '1', 'occupant/joined records call attendance');
SELECT is((SELECT api.jitsi_event('occupant/joined', p) ->> 'recorded' FROM joined), '0', 'a replay records nothing');
SELECT is((SELECT api.jitsi_event('occupant/left', jsonb_set(jsonb_set(p, '{event_name}', '"muc-occupant-left"'),
                                   '{occupant,left_at}', to_jsonb(extract(epoch FROM now())::bigint - 10))) ->> 'recorded' FROM joined),
          '1', 'occupant/left ends it');
SELECT is((SELECT api.jitsi_event('occupant/left', jsonb_set(p, '{occupant,left_at}', to_jsonb(extract(epoch FROM now())::bigint - 10))) ->> 'recorded' FROM joined),
          '0', 'a replayed left records nothing');
SET LOCAL client_min_messages = error;  -- the warning it logs
SELECT is(api.jitsi_event('occupant/joined', '{"room_name": "nowhere_x", "occupant": {"occupant_jid": "a@b/c", "joined_at": 1}}'),
          '{"event": "occupant/joined", "ignored": "unknown_room", "recorded": 0}', 'an unknown room is ignored, not refused');
SELECT tests.api_throws_ok($$SELECT api.jitsi_event('room/exploded', '{"room_name": "mt_board"}')$$, '22023', 'unknown event',
  'an unknown event answers 400');
SELECT tests.api_throws_ok($$SELECT api.jitsi_event('occupant/left', '{"room_name": "mt_board", "occupant": {"occupant_jid": "a@b/c", "joined_at": 1}}')$$,
  '22023', 'an occupant event needs occupant.occupant_jid and its times', 'occupant/left needs left_at');
SELECT tests.api_throws_ok($$SELECT api.jitsi_event('room/created', '[1]')$$, '22023',
  'payload must be an event_sync JSON object with room_name', 'a payload that is no object answers 400');
SELECT tests.as_owner();
SELECT is((SELECT count(*) FROM app.meeting_attendance WHERE source = 'call'), 1::bigint, 'the call was counted once');

-- Leaving: the grace's realtime.leave, the sweep, another room; durations ===========================
SELECT tests.a_minute_ago();
SELECT tests.as_bridge();
SELECT lives_ok(format($$SELECT realtime.leave(%L, 'ed-socket')$$, tests.id_of('Ed')), 'Ed''s socket is gone and his grace is over');
SELECT is(tests.in_meeting(), '{Mia}', 'Ed left the meeting');
SELECT tests.as_owner();
UPDATE app.player_presence SET last_update = now() - interval '10 minutes' WHERE user_id = tests.id_of('Mia');
SELECT tests.as_bridge();
SELECT is(realtime.sweep() ->> 'offline', '1', 'the sweep takes Mia offline');
SELECT is(tests.in_meeting(), '{}', 'so she left the meeting too');
SELECT is(tests.open_sessions(), 0::bigint, 'the last one out closed the session');
SELECT is(tests.meeting_frames(), '{"meeting_joined Mia","meeting_left Ed","meeting_left Mia"}',
          'every join and leave was announced');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is((SELECT array_agg(duration_seconds ORDER BY duration_seconds) FROM api.meeting_history WHERE source = 'zone'),
          '{0,60,60}', 'the owner reads the durations: Mia''s first step in, then a minute each for Ed and Mia');
SELECT is((SELECT duration_seconds FROM api.meeting_history WHERE source = 'call'), 20, 'and the call''s 20 seconds');
SELECT is((SELECT count(*) FROM api.meeting_history), 4::bigint, 'the owner reads every attendance of her world');
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT is((SELECT array_agg(DISTINCT user_id) FROM api.meeting_history), ARRAY[tests.id_of('Mia')], 'a member reads only her own');
SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT is((SELECT count(*) FROM api.meeting_history), 0::bigint, 'an outsider reads nothing');

-- A meeting building that moves takes its players out, and in where it lands ========================
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT lives_ok($$SELECT api.enter_room('lobby', 'mt'), api.move(12, 11, 'up')$$, 'Olga walks into the board room');
SELECT tests.as_owner();
SELECT tests.meeting_frames();
UPDATE app.buildings SET x = 30, door_x = 31 WHERE id = tests.board();
SELECT is(tests.meeting_frames(), '{"meeting_left Olga"}', 'the board room moves away from under her: she left it');
UPDATE app.buildings SET x = 11, door_x = 12 WHERE id = tests.board();
SELECT is(tests.meeting_frames(), '{"meeting_joined Olga"}', 'it comes back over her: she is in it again');
SELECT is(tests.in_meeting(), '{Olga}', 'and only she');

SELECT * FROM finish();
ROLLBACK;
