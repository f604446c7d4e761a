-- Presence in a world of worlds (issue 11, "Who sees and does what", "Privacy applies live"): who may
-- enter which world's rooms (REST enter_room and the bridge's join), identical refusals, frames that
-- name their world, and the live evictions with their exact notify payloads.
--
-- Memberships, bans, visibility and archives are set by plain SQL as the owner, as the world API would
-- leave them. The frames app.presence_notify sends are recorded into tests.frames for this transaction
-- (the function is replaced here and restored by the ROLLBACK): a NOTIFY reaches listeners only at
-- commit, and 06-presence.sql shows that path with real connections. The eviction triggers are deferred
-- to commit; SET CONSTRAINTS ALL IMMEDIATE fires them where a test needs to see what they do.
BEGIN;
\ir helpers.psql

SELECT plan(42);

-- Setup, as the owner =============================================================================
CREATE TABLE tests.frames (n bigserial PRIMARY KEY, frame jsonb NOT NULL);
CREATE OR REPLACE FUNCTION app.presence_notify(frame jsonb) RETURNS void
  LANGUAGE sql SET search_path = '' AS $$ INSERT INTO tests.frames (frame) VALUES (frame) $$;
-- The frames recorded since the last call, in order, of one type (all when NULL); they are forgotten.
CREATE FUNCTION tests.take_frames(kind text DEFAULT NULL) RETURNS jsonb LANGUAGE sql AS $$
  WITH taken AS (DELETE FROM tests.frames RETURNING n, frame)
  SELECT coalesce(jsonb_agg(frame ORDER BY n) FILTER (WHERE kind IS NULL OR frame ->> 'type' = kind), '[]') FROM taken
$$;
-- Runs the deferred eviction triggers now.
CREATE FUNCTION tests.commit_point() RETURNS void LANGUAGE sql AS $$
  SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED;
$$;
CREATE FUNCTION tests.world(slug text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM app.worlds w WHERE w.slug = world.slug $$;
-- Where a player is, as the owner sees it: world, room, status.
CREATE FUNCTION tests.place(who text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER AS $$
  SELECT w.slug || '/' || r.slug || ' ' || p.status || ' (' || p.x || ',' || p.y || ')'
    FROM app.player_presence p JOIN app.rooms r ON r.id = p.room_id JOIN app.worlds w ON w.id = r.world_id
   WHERE p.user_id = tests.id_of(who)
$$;
GRANT EXECUTE ON FUNCTION tests.place(text) TO player;

SELECT tests.create_user('Olga');   -- owns every test world
SELECT tests.create_user('Ed');     -- editor of wp-priv
SELECT tests.create_user('Mia');    -- member of wp-priv, wp-pub and wp-unl
SELECT tests.create_user('Otto');   -- member of nothing
SELECT tests.create_user('Bo');     -- banned from wp-pub

INSERT INTO app.worlds (slug, name, owner_id, visibility) VALUES
  ('wp-pub', 'Public', tests.id_of('Olga'), 'public'),
  ('wp-unl', 'Unlisted', tests.id_of('Olga'), 'unlisted'),
  ('wp-priv', 'Private', tests.id_of('Olga'), 'private'),
  ('wp-arch', 'Archived', tests.id_of('Olga'), 'public');
INSERT INTO app.world_members (world_id, user_id, role)
SELECT tests.world(w), tests.id_of('Olga'), 'owner' FROM unnest(ARRAY['wp-pub', 'wp-unl', 'wp-priv', 'wp-arch']) AS w;
INSERT INTO app.world_members (world_id, user_id, role) VALUES
  (tests.world('wp-priv'), tests.id_of('Ed'), 'editor'),
  (tests.world('wp-priv'), tests.id_of('Mia'), 'member'),
  (tests.world('wp-pub'), tests.id_of('Mia'), 'member'),
  (tests.world('wp-unl'), tests.id_of('Mia'), 'member');
-- Every world has a lobby (the same slug in each); wp-pub also has a town, like the default world.
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
SELECT tests.world(w), 'lobby', 'Lobby', 40, 30, 5, 5, true FROM unnest(ARRAY['wp-pub', 'wp-unl', 'wp-priv', 'wp-arch']) AS w;
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
VALUES (tests.world('wp-pub'), 'town', 'Not the ark town', 10, 10, 1, 1);
INSERT INTO app.world_bans (world_id, user_id, reason, banned_by) VALUES (tests.world('wp-pub'), tests.id_of('Bo'), 'spam', tests.id_of('Olga'));
UPDATE app.worlds SET archived_at = now() WHERE slug = 'wp-arch';
SELECT tests.commit_point();
SELECT tests.take_frames();

-- Entering, per world kind and role ===============================================================

SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT is(api.enter_room('lobby', 'wp-pub') - 'players', '{"type": "presence_state", "world": "wp-pub", "room": "lobby"}',
  'anyone enters a public world''s room, and presence_state names the world');
SELECT is(api.enter_room('town') ->> 'world', 'ark', 'without a world, enter_room goes to the default world (today''s clients)');
SELECT is(api.enter_room('town', 'wp-pub') ->> 'world', 'wp-pub', 'the same room slug in another world is another room');
SELECT is(tests.place('Otto'), 'wp-pub/town online (1,1)', 'and the player stands there, in that world''s town');
SELECT is(api.enter_room('lobby', 'wp-unl') ->> 'world', 'wp-unl', 'an unlisted world is entered by its slug');
SELECT tests.as_owner();
SELECT is((SELECT count(*) FROM app.world_visitors WHERE world_id = tests.world('wp-unl') AND user_id = tests.id_of('Otto')), 1::bigint,
  'entering an unlisted world by slug records a visitor');
SELECT is((SELECT count(*) FROM app.world_visitors WHERE world_id = tests.world('wp-unl') AND user_id = tests.id_of('Mia')), 0::bigint,
  'a member is no visitor');

SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT is(api.enter_room('lobby', 'wp-priv') ->> 'world', 'wp-priv', 'a member enters a private world');
SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT tests.api_throws_ok($$SELECT api.enter_room('lobby', 'wp-priv')$$, 'PT404', 'unknown room',
  'an outsider entering a private world gets 404 unknown room');
SELECT is(tests.error_of($$SELECT api.enter_room('lobby', 'wp-priv')$$) - 'detail',
          tests.error_of($$SELECT api.enter_room('lobby', 'wp-none')$$) - 'detail',
  'a private world refuses exactly as a world that does not exist');
SELECT is(tests.error_of($$SELECT api.enter_room('lobby', 'wp-priv')$$) - 'detail',
          tests.error_of($$SELECT api.enter_room('no-such-room', 'wp-pub')$$) - 'detail',
  'and exactly as a room that does not exist');
SELECT is(tests.error_of($$SELECT api.enter_room('lobby', 'wp-priv')$$) ->> 'detail',
          '{"room_slug": "lobby", "world_slug": "wp-priv"}', 'the slugs asked for are in details, never in the message');
SELECT tests.authenticate_as(tests.id_of('Bo'));
SELECT tests.api_throws_ok($$SELECT api.enter_room('lobby', 'wp-pub')$$, 'PT404', 'unknown room',
  'a banned player gets unknown room for a public world');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT tests.api_throws_ok($$SELECT api.enter_room('lobby', 'wp-arch')$$, 'PT404', 'unknown room',
  'nobody enters an archived world, its owner neither');
SELECT is(tests.place('Olga'), NULL, 'and the refusals wrote no presence');

SELECT tests.as_bridge();
SELECT is(realtime.join(tests.id_of('Olga'), 'lobby', 'sock-o', 'wp-priv') ->> 'world', 'wp-priv', 'the bridge''s join takes a world');
SELECT is(tests.error_of(format($$SELECT realtime.join(%L, 'lobby', 'sock-b', 'wp-pub')$$, tests.id_of('Bo'))) ->> 'sqlstate', 'PT404',
  'and refuses a banned player like an unknown room');
SELECT is(realtime.room_state('lobby', 'wp-priv') -> 'players' -> 0 ->> 'display_name', 'Mia',
  'room_state reads the room of that world');
SELECT is(realtime.room_state('lobby') , NULL, 'room_state without a world reads the default world, which has no lobby');
SELECT is(realtime.default_world(), 'ark', 'the default world is the setting');

-- Moves: one frame per room, named by world and room ==============================================
SELECT tests.as_owner();
SELECT tests.take_frames();
SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT api.enter_room('lobby', 'wp-pub');
SELECT tests.as_bridge();
SELECT is(realtime.apply_moves(jsonb_build_array(
            jsonb_build_object('user_id', tests.id_of('Otto'), 'x', 6, 'y', 5, 'direction', 'right'),
            jsonb_build_object('user_id', tests.id_of('Mia'), 'x', 6, 'y', 5, 'direction', 'right'))), '[]',
  'moves in two lobbies of two worlds are accepted');
SELECT tests.as_owner();
SELECT is((SELECT jsonb_agg(f ORDER BY f ->> 'world') FROM jsonb_array_elements(tests.take_frames('moves')) AS f), jsonb_build_array(
    jsonb_build_object('type', 'moves', 'world', 'wp-priv', 'room', 'lobby', 'moves',
                       jsonb_build_array(jsonb_build_object('user_id', tests.id_of('Mia'), 'x', 6, 'y', 5, 'direction', 'right'))),
    jsonb_build_object('type', 'moves', 'world', 'wp-pub', 'room', 'lobby', 'moves',
                       jsonb_build_array(jsonb_build_object('user_id', tests.id_of('Otto'), 'x', 6, 'y', 5, 'direction', 'right')))),
  'two lobbies of the same slug get a moves frame each, named by their world');

-- Live eviction ===================================================================================
-- Now: Otto in wp-pub/lobby, Mia and Olga in wp-priv/lobby.

SELECT tests.authenticate_as(tests.id_of('Ed'));
SELECT api.enter_room('lobby', 'wp-priv');
SELECT tests.as_owner();
SELECT tests.take_frames();
UPDATE app.world_members SET role = 'member' WHERE world_id = tests.world('wp-priv') AND user_id = tests.id_of('Ed');
SELECT tests.commit_point();
SELECT is(tests.take_frames(), '[]', 'a demotion from editor to member announces nothing');
SELECT is(tests.place('Ed'), 'wp-priv/lobby online (5,5)', 'and the demoted player stays');

SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT api.enter_room('lobby', 'wp-pub');
SELECT tests.as_owner();
SELECT tests.take_frames();
DELETE FROM app.world_members WHERE world_id = tests.world('wp-pub') AND user_id = tests.id_of('Mia');
SELECT tests.commit_point();
SELECT is(tests.take_frames(), '[]', 'a removal from a public world evicts nobody');
SELECT is(tests.place('Mia'), 'wp-pub/lobby online (5,5)', 'the removed member may still be in a public world');

DELETE FROM app.world_members WHERE world_id = tests.world('wp-priv') AND user_id = tests.id_of('Ed');
SELECT is(tests.take_frames(), '[]', 'the eviction waits for the commit (deferred)');
SELECT tests.commit_point();
SELECT is(tests.take_frames(), jsonb_build_array(jsonb_build_object(
    'type', 'removed', 'world', 'wp-priv', 'room', 'lobby', 'user_id', tests.id_of('Ed'), 'reason', 'removed')),
  'a removal from a private world announces removed, with world, room, user and reason');
SELECT is(tests.place('Ed'), 'ark/town offline (20,16)', 'the removed presence is offline at the default world''s main room''s default spawn');

-- A ban that ends the membership too, in either order: reported as a ban.
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT api.enter_room('lobby', 'wp-unl');
SELECT tests.as_owner();
SELECT tests.take_frames();
DELETE FROM app.world_members WHERE world_id = tests.world('wp-unl') AND user_id = tests.id_of('Mia');
INSERT INTO app.world_bans (world_id, user_id, banned_by) VALUES (tests.world('wp-unl'), tests.id_of('Mia'), tests.id_of('Olga'));
SELECT tests.commit_point();
SELECT is(tests.take_frames(), jsonb_build_array(jsonb_build_object(
    'type', 'removed', 'world', 'wp-unl', 'room', 'lobby', 'user_id', tests.id_of('Mia'), 'reason', 'banned')),
  'a ban that also ends the membership evicts once, as banned');
SELECT tests.as_bridge();
SELECT is(realtime.apply_moves(jsonb_build_array(jsonb_build_object('user_id', tests.id_of('Mia'), 'x', 6, 'y', 6, 'direction', 'down'))) -> 0 ->> 'reason',
  'not_in_room', 'the evicted player''s next move is not_in_room');
SELECT tests.as_owner();

-- A ban lifted in the same transaction, and a ban that is over, evict nobody.
SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT is(api.enter_room('lobby', 'wp-unl') ->> 'world', 'wp-unl', 'Otto visits the unlisted world');
SELECT tests.as_owner();
SELECT tests.take_frames();
INSERT INTO app.world_bans (world_id, user_id) VALUES (tests.world('wp-unl'), tests.id_of('Otto'));
DELETE FROM app.world_bans WHERE world_id = tests.world('wp-unl') AND user_id = tests.id_of('Otto');
INSERT INTO app.world_bans (world_id, user_id, created_at, until)
VALUES (tests.world('wp-unl'), tests.id_of('Otto'), now() - interval '2 hours', now() - interval '1 hour');
SELECT tests.commit_point();
SELECT is(tests.take_frames(), '[]', 'a ban lifted before commit, or one no longer in force, evicts nobody');
SELECT is(tests.place('Otto'), 'wp-unl/lobby online (5,5)', 'the visitor is still there');

-- A switch to private: non-members only.
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT api.enter_room('lobby', 'wp-unl');
SELECT tests.as_owner();
SELECT tests.take_frames();
UPDATE app.worlds SET visibility = 'private' WHERE slug = 'wp-unl';
SELECT tests.commit_point();
SELECT is(tests.take_frames(), jsonb_build_array(jsonb_build_object(
    'type', 'removed', 'world', 'wp-unl', 'room', 'lobby', 'user_id', tests.id_of('Otto'), 'reason', 'private')),
  'a switch to private removes the visitor, not the owner');
SELECT is(tests.place('Olga'), 'wp-unl/lobby online (5,5)', 'the owner stays');
SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT tests.api_throws_ok($$SELECT api.enter_room('lobby', 'wp-unl')$$, 'PT404', 'unknown room',
  'and the former visitor cannot come back');

-- An archive: everyone, the owner included, in every room of the world.
SELECT tests.as_owner();
SELECT tests.take_frames();
UPDATE app.worlds SET archived_at = now() WHERE slug = 'wp-unl';
SELECT tests.commit_point();
SELECT is(tests.take_frames(), jsonb_build_array(jsonb_build_object(
    'type', 'removed', 'world', 'wp-unl', 'room', 'lobby', 'user_id', tests.id_of('Olga'), 'reason', 'archived')),
  'an archive removes everyone, its owner too');

-- A ban from a public world, of a player present through REST only.
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT api.enter_room('lobby', 'wp-pub');
SELECT tests.as_owner();
SELECT tests.take_frames();
INSERT INTO app.world_bans (world_id, user_id) VALUES (tests.world('wp-pub'), tests.id_of('Mia'));
SELECT tests.commit_point();
SELECT is(tests.take_frames(), jsonb_build_array(jsonb_build_object(
    'type', 'removed', 'world', 'wp-pub', 'room', 'lobby', 'user_id', tests.id_of('Mia'), 'reason', 'banned')),
  'a ban from a public world removes the banned player');
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT throws_ok($$SELECT api.move(6, 6, 'down')$$, '22023', 'invalid move: join a room before moving',
  'their next REST move is refused');
SELECT tests.as_owner();
SELECT is(app.world_evict(tests.world('wp-pub'), NULL, 'banned'), 0, 'evicting again finds nobody to evict');
SELECT throws_ok($$SELECT app.world_evict(tests.world('wp-pub'), NULL, 'bored')$$, '22023',
  'cause must be archived, banned, private, removed, renamed or deleted', 'world_evict knows its causes');

SELECT * FROM finish();
ROLLBACK;
