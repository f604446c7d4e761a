-- Custom maps (issue 12): who publishes, restores and validates (a world's owner and editors; content_admin
-- in the installation's world), immutable versions numbered per room, atomic publish (a refused map
-- changes nothing), the rows a map derives (replaced on publish, hand-made ones kept), the players a new
-- map relocates (and the 'moves' NOTIFY on channel presence, through a real listener), and the move rule
-- with walls on REST (app.presence_move) and the socket (realtime.apply_moves): onto or through a wall,
-- a diagonal past a wall's corner, the speed budget first, and a room without a map, which has no walls.
-- The grant matrix rows are in 02-rls-matrix.sql, the world roles in 15-world-rls.sql, the seed's maps in
-- 05-seed.sql. Frames are recorded into tests.frames after the NOTIFY section, as in 17-meetings.sql.
BEGIN;
\ir helpers.psql

SELECT plan(163);

-- Map builders ====================================================================================
-- A map drawn as rows of text: '#' a wall (ark-town tile 3, which collides), '.' floor (tile 2), on one
-- ground layer, and an object layer (layers/1). Points stand at a tile's centre, rectangles cover tiles.
CREATE FUNCTION tests.prop(name text, value jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('name', name, 'value', value,
    'type', CASE jsonb_typeof(value) WHEN 'string' THEN 'string' WHEN 'boolean' THEN 'bool'
                                     WHEN 'number' THEN CASE WHEN value::text ~ '^-?[0-9]+$' THEN 'int' ELSE 'float' END END)
$$;
CREATE FUNCTION tests.point(id integer, cls text, name text, tx integer, ty integer, props jsonb DEFAULT '[]') RETURNS jsonb
  LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('id', id, 'name', name, 'type', cls, 'point', true, 'x', tx * 32 + 16, 'y', ty * 32 + 16,
                            'width', 0, 'height', 0, 'rotation', 0, 'visible', true, 'properties', props)
$$;
CREATE FUNCTION tests.rect(id integer, cls text, name text, tx integer, ty integer, tw integer, th integer,
                           props jsonb DEFAULT '[]') RETURNS jsonb
  LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('id', id, 'name', name, 'type', cls, 'x', tx * 32, 'y', ty * 32, 'width', tw * 32,
                            'height', th * 32, 'rotation', 0, 'visible', true, 'properties', props)
$$;
CREATE FUNCTION tests.map(grid text[], objects jsonb DEFAULT '[]', properties jsonb DEFAULT '[]') RETURNS jsonb
  LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'type', 'map', 'version', '1.10', 'tiledversion', '1.10.2', 'orientation', 'orthogonal', 'renderorder', 'right-down',
    'infinite', false, 'width', char_length(grid[1]), 'height', cardinality(grid), 'tilewidth', 32, 'tileheight', 32,
    'nextlayerid', 3, 'nextobjectid', 100, 'properties', properties,
    'tilesets', jsonb_build_array(jsonb_build_object(
      'firstgid', 1, 'name', 'ark-town', 'image', 'tilesets/ark-town.png', 'imagewidth', 256, 'imageheight', 256,
      'tilewidth', 32, 'tileheight', 32, 'columns', 8, 'tilecount', 64, 'margin', 0, 'spacing', 0,
      'tiles', jsonb_build_array(jsonb_build_object('id', 3, 'properties', jsonb_build_array(tests.prop('collides', 'true')))))),
    'layers', jsonb_build_array(
      jsonb_build_object('id', 1, 'name', 'ground', 'type', 'tilelayer', 'x', 0, 'y', 0, 'opacity', 1, 'visible', true,
                         'width', char_length(grid[1]), 'height', cardinality(grid),
                         'data', (SELECT jsonb_agg(CASE c WHEN '#' THEN 4 ELSE 3 END ORDER BY r, i)
                                    FROM unnest(grid) WITH ORDINALITY AS t(line, r),
                                         regexp_split_to_table(line, '') WITH ORDINALITY AS s(c, i))),
      jsonb_build_object('id', 2, 'name', 'objects', 'type', 'objectgroup', 'x', 0, 'y', 0, 'opacity', 1, 'visible', true,
                         'draworder', 'topdown', 'objects', objects)))
$$;

-- The maps of this test, by name.
CREATE TABLE tests.maps (name text PRIMARY KEY, map jsonb NOT NULL);
CREATE FUNCTION tests.map_named(name text) RETURNS jsonb LANGUAGE sql STABLE AS $$ SELECT map FROM tests.maps m WHERE m.name = map_named.name $$;
-- Values remembered across statements.
CREATE TABLE tests.v (name text PRIMARY KEY, value text);
CREATE FUNCTION tests.v(name text) RETURNS text LANGUAGE sql STABLE AS $$ SELECT value FROM tests.v x WHERE x.name = v.name $$;

-- The 'moves' NOTIFY, through real connections ====================================================
-- Notifications reach listeners only when the sender commits, so a listener LISTENs on presence while
-- another connection sets up a world (committed for real, deleted again at the end of the section) and
-- its owner publishes over a player. This runs first: the test's own uncommitted rows would block them.

-- as the owner
INSERT INTO tests.maps VALUES
  ('notify-1', tests.map(ARRAY['........', '........', '........', '........', '........', '........'],
                         jsonb_build_array(tests.point(1, 'spawn', 'Door', 0, 0)))),
  -- (5, 3) and (6, 4) become walls; (7, 5) leaves the map, which shrinks to 7 x 5.
  ('notify-2', tests.map(ARRAY['.......', '.......', '.......', '.....#.', '......#'],
                         jsonb_build_array(tests.point(1, 'spawn', 'Door', 0, 0))));
SELECT tests.use_dblink();
SELECT tests.remote_connect(c) FROM unnest(ARRAY['setup', 'listener']) c;
SELECT tests.remote_exec('setup', $$DELETE FROM app.worlds WHERE slug = 'tap20-notify'$$);  -- an aborted run's
SELECT tests.remote_exec('setup', $$DELETE FROM app.users WHERE display_name LIKE 'Tap20 %'$$);
SELECT tests.remember(n, tests.remote_value('setup', format(
  $$INSERT INTO app.users (display_name, avatar_sprite) VALUES ('Tap20 %s', 'brendan') RETURNING id$$, n))::uuid)
  FROM unnest(ARRAY['Builder', 'Stander', 'Strayer', 'Sitter', 'Sleeper']) n;
SELECT tests.remote_exec('setup', format($$BEGIN;
  INSERT INTO app.worlds (slug, name, owner_id, visibility) VALUES ('tap20-notify', 'Tap20', %1$L, 'public');
  INSERT INTO app.world_members (world_id, user_id, role) SELECT id, %1$L, 'owner' FROM app.worlds WHERE slug = 'tap20-notify';
  INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
  SELECT id, 'hall', 'Hall', 8, 6, 1, 1, true FROM app.worlds WHERE slug = 'tap20-notify';
  COMMIT$$, tests.id_of('Builder')));
SELECT tests.remote_begin('setup', 'player', tests.id_of('Builder'));
SELECT tests.remote_value('setup', format($$SELECT api.publish_map('tap20-notify', 'hall', %L)$$, tests.map_named('notify-1')));
SELECT tests.remote_exec('setup', 'COMMIT');
-- Stander on the future wall (5, 3), Strayer at (7, 5), outside the future map, Sitter on (2, 2), which
-- stays floor, Sleeper offline on the future wall (6, 4).
SELECT tests.remote_exec('setup', format($$INSERT INTO app.player_presence (user_id, room_id, x, y, direction, status)
  SELECT u.id, r.id, u.x, u.y, u.direction, u.status
    FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id AND w.slug = 'tap20-notify',
         (VALUES (%L::uuid, 5, 3, 'left', 'online'), (%L::uuid, 7, 5, 'up', 'busy'), (%L::uuid, 2, 2, 'down', 'online'),
                 (%L::uuid, 6, 4, 'right', 'offline')) AS u(id, x, y, direction, status)
   WHERE r.slug = 'hall'$$, tests.id_of('Stander'), tests.id_of('Strayer'), tests.id_of('Sitter'), tests.id_of('Sleeper')));
SELECT tests.remote_exec('listener', 'LISTEN presence');
SELECT tests.remote_begin('setup', 'player', tests.id_of('Builder'));
SELECT tests.remote_value('setup', format($$SELECT api.publish_map('tap20-notify', 'hall', %L)$$, tests.map_named('notify-2')));
SELECT tests.remote_exec('setup', 'COMMIT');

SELECT is(tests.remote_notifications('listener', 1),
  jsonb_build_array(jsonb_build_object('type', 'moves', 'world', 'tap20-notify', 'room', 'hall', 'moves',
    (SELECT jsonb_agg(jsonb_build_object('user_id', u, 'x', 0, 'y', 0, 'direction', d) ORDER BY u)
       FROM (VALUES (tests.id_of('Stander'), 'left'), (tests.id_of('Strayer'), 'up')) AS m(u, d)))),
  'a publish that walls in one player and leaves another outside the map sends one moves frame on channel presence, with both moved to the spawn (offline players are not announced)');
SELECT is(tests.remote_value('setup', format($$SELECT string_agg(format('%%s:%%s,%%s', u.display_name, p.x, p.y), ' ' ORDER BY u.display_name)
                                                FROM app.player_presence p JOIN app.users u ON u.id = p.user_id
                                               WHERE p.user_id IN (%L, %L, %L, %L)$$,
                                             tests.id_of('Stander'), tests.id_of('Strayer'), tests.id_of('Sitter'), tests.id_of('Sleeper'))),
  'Tap20 Sitter:2,2 Tap20 Sleeper:0,0 Tap20 Stander:0,0 Tap20 Strayer:0,0',
  'the moves were committed with the map: the offline player moved too, the one on floor stayed');

INSERT INTO tests.v VALUES ('notify-room', tests.remote_value('setup',
  $$SELECT r.id FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE w.slug = 'tap20-notify' AND r.slug = 'hall'$$));
SELECT is(tests.remote_value('setup', format('SELECT count(*) FROM app.map_versions WHERE room_id = %L', tests.v('notify-room'))), '2',
  'the room has its two versions');
SELECT tests.remote_exec('setup', format('DELETE FROM app.users WHERE id IN (%L, %L, %L, %L)',
                                         tests.id_of('Stander'), tests.id_of('Strayer'), tests.id_of('Sitter'), tests.id_of('Sleeper')));
SELECT tests.remote_exec('setup', $$DELETE FROM app.worlds WHERE slug = 'tap20-notify'$$);
SELECT tests.remote_exec('setup', format('DELETE FROM app.users WHERE id = %L', tests.id_of('Builder')));
SELECT tests.remote_exec('listener', 'UNLISTEN *');
SELECT tests.remote_disconnect(c) FROM unnest(ARRAY['setup', 'listener']) c;
SELECT is_empty($$SELECT FROM app.worlds WHERE slug = 'tap20-notify' UNION ALL SELECT FROM app.users WHERE display_name LIKE 'Tap20 %'
                  UNION ALL SELECT FROM app.map_versions WHERE room_id::text = tests.v('notify-room')$$,
  'the committed world, its users and its map versions are gone again (deleting the world deleted its rooms'' versions)');

-- Fixtures, as the owner ==========================================================================
CREATE TABLE tests.frames (n bigserial PRIMARY KEY, frame jsonb NOT NULL);
GRANT INSERT, SELECT, DELETE ON tests.frames TO bridge, player, content_admin;
GRANT USAGE ON SEQUENCE tests.frames_n_seq TO bridge, player, content_admin;
CREATE OR REPLACE FUNCTION app.presence_notify(frame jsonb) RETURNS void
  LANGUAGE sql SET search_path = '' AS $$ INSERT INTO tests.frames (frame) VALUES (frame) $$;
-- The frames recorded since the last call, in order; they are forgotten.
CREATE FUNCTION tests.taken_frames() RETURNS jsonb LANGUAGE sql SECURITY DEFINER AS $$
  WITH taken AS (DELETE FROM tests.frames RETURNING n, frame) SELECT coalesce(jsonb_agg(frame ORDER BY n), '[]') FROM taken
$$;
CREATE FUNCTION tests.world(slug text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$ SELECT id FROM app.worlds w WHERE w.slug = world.slug $$;
CREATE FUNCTION tests.room(world text, room text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT r.id FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE w.slug = room.world AND r.slug = room.room
$$;
-- Everything a publish may change in a room, as the owner sees it.
CREATE FUNCTION tests.room_state(room uuid) RETURNS jsonb
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT jsonb_build_object(
    'room', (SELECT to_jsonb(r) FROM app.rooms r WHERE r.id = room),
    'versions', (SELECT jsonb_agg(v.version ORDER BY v.version) FROM app.map_versions v WHERE v.room_id = room),
    'buildings', (SELECT jsonb_agg(to_jsonb(b) ORDER BY b.slug) FROM app.buildings b WHERE b.room_id = room),
    'spawn_points', (SELECT jsonb_agg(to_jsonb(s) ORDER BY s.slug) FROM app.spawn_points s WHERE s.room_id = room),
    'presence', (SELECT jsonb_agg(to_jsonb(p) ORDER BY p.user_id) FROM app.player_presence p WHERE p.room_id = room))
$$;
-- A room's buildings and spawn points, one line each, ending in "derived" for those its map made.
CREATE FUNCTION tests.buildings_of(room uuid) RETURNS text[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT coalesce(array_agg(format('%s %s %s (%s,%s) %sx%s door (%s,%s)%s', b.slug, b.name, b.type, b.x, b.y, b.width, b.height,
                                   b.door_x, b.door_y, CASE WHEN b.derived THEN ' derived' ELSE '' END) ORDER BY b.slug), '{}')
    FROM app.buildings b WHERE b.room_id = room
$$;
CREATE FUNCTION tests.spawns_of(room uuid) RETURNS text[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT coalesce(array_agg(format('%s %s (%s,%s) %s%s', s.slug, s.type, s.x, s.y, s.direction,
                                   CASE WHEN s.derived THEN ' derived' ELSE '' END) ORDER BY s.slug), '{}')
    FROM app.spawn_points s WHERE s.room_id = room
$$;
-- Where players stand, as "name (x,y)".
CREATE FUNCTION tests.spots(VARIADIC who text[]) RETURNS text[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT array_agg(format('%s (%s,%s)', a.name, p.x, p.y) ORDER BY a.name)
    FROM tests.actors a JOIN app.player_presence p ON p.user_id = a.id WHERE a.name = ANY (who)
$$;
-- Puts a player at (x, y) of a room with an allowance of exactly budget: moved_at lies in the future,
-- so nothing refills (as tests.allow in 06-presence.sql).
CREATE FUNCTION tests.put(who text, room uuid, x integer, y integer, budget real DEFAULT 20, status text DEFAULT 'online') RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = '' AS $$
  INSERT INTO app.player_presence AS p (user_id, room_id, x, y, status, move_budget, moved_at)
  VALUES (tests.id_of(who), room, x, y, status, budget, clock_timestamp() + interval '1 hour')
  ON CONFLICT (user_id) DO UPDATE SET room_id = EXCLUDED.room_id, x = EXCLUDED.x, y = EXCLUDED.y, status = EXCLUDED.status,
                                      move_budget = EXCLUDED.move_budget, moved_at = EXCLUDED.moved_at
$$;
-- The allowance a player has left.
CREATE FUNCTION tests.budget(who text) RETURNS real
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT move_budget FROM app.player_presence WHERE user_id = tests.id_of(who)
$$;
CREATE FUNCTION tests.mv(who text, x integer, y integer, direction text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('user_id', tests.id_of(who), 'x', x, 'y', y, 'direction', direction)
$$;
-- The error paths of a refused publish (details.errors), in order.
CREATE FUNCTION tests.refused_paths(sql text) RETURNS text[] LANGUAGE sql AS $$
  SELECT array_agg(e ->> 'path' ORDER BY o)
    FROM jsonb_array_elements((tests.error_of(sql) ->> 'detail')::jsonb -> 'errors') WITH ORDINALITY AS x(e, o)
   WHERE e ->> 'severity' = 'error'
$$;
GRANT SELECT ON tests.maps, tests.v TO web_anon, player, agent_service, content_admin, bridge;
GRANT INSERT ON tests.v TO web_anon, player, agent_service, content_admin, bridge;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA tests TO web_anon, player, agent_service, content_admin, bridge;

-- The actors: mp (private) is Olga's, with Ed an editor, Mia a member and Bert an editor banned from it;
-- Otto is in no world. Ann, Ben, Cat and Dan walk about.
SELECT tests.create_user(n) FROM unnest(ARRAY['Olga', 'Ed', 'Mia', 'Otto', 'Bert', 'Ann', 'Ben', 'Cat', 'Dan']) n;
-- The worlds: mp (private), mp-pub (public) and mp-old (archived) are Olga's; mp-retired is an archived
-- installation world.
INSERT INTO app.worlds (slug, name, owner_id, visibility, archived_at) VALUES
  ('mp', 'Maps', tests.id_of('Olga'), 'private', NULL),
  ('mp-pub', 'Maps in public', tests.id_of('Olga'), 'public', NULL),
  ('mp-old', 'Old maps', tests.id_of('Olga'), 'public', now()),
  ('mp-retired', 'Retired maps', NULL, 'public', now());
INSERT INTO app.world_members (world_id, user_id, role)
SELECT tests.world(w), tests.id_of(u), r
  FROM (VALUES ('mp', 'Olga', 'owner'), ('mp', 'Ed', 'editor'), ('mp', 'Mia', 'member'), ('mp', 'Bert', 'editor'),
               ('mp-pub', 'Olga', 'owner'), ('mp-old', 'Olga', 'owner'), ('mp-old', 'Ed', 'editor')) AS m(w, u, r);
INSERT INTO app.world_bans (world_id, user_id, reason) VALUES (tests.world('mp'), tests.id_of('Bert'), 'vandal');
INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main, max_speed)
SELECT tests.world(w), 'lobby', 'Lobby', 20, 20, 1, 1, true, 100 FROM unnest(ARRAY['mp', 'mp-pub', 'mp-old', 'mp-retired']) w;
-- A hand-made meeting in mp's lobby: another room's meeting, whose jitsiRoom a map of mp may not reuse.
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
VALUES (tests.room('mp', 'lobby'), 'lobby-meet', 'Lobby meeting', 'meeting', 10, 10, 2, 2, 10, 12, 'LobbyMeet');
SELECT lives_ok('SET CONSTRAINTS ALL IMMEDIATE', 'the fixture worlds each have their one owner and one main room');
SET CONSTRAINTS ALL DEFERRED;

-- hall-1: 12 x 8, a wall at x 5, y 3..5; spawns north (8,4) and south (2,6); meetings board (1,1 3x3,
-- slug property) and kitchen (7,1 2x2); a portal gate (9,6 2x2, door 10,7) back to the lobby.
-- hall-2: the board renamed (its slug kept), the kitchen and the south spawn gone.
INSERT INTO tests.maps VALUES
  ('hall-1', tests.map(ARRAY['............', '............', '............', '.....#......', '.....#......', '.....#......',
                             '............', '............'],
    jsonb_build_array(
      tests.point(1, 'spawn', 'North', 8, 4, jsonb_build_array(tests.prop('direction', '"up"'))),
      tests.point(2, 'spawn', 'South', 2, 6),
      tests.rect(3, 'meeting', 'Board Room', 1, 1, 3, 3, jsonb_build_array(tests.prop('jitsiRoom', '"MpBoard"'), tests.prop('slug', '"board"'))),
      tests.rect(4, 'meeting', 'Kitchen', 7, 1, 2, 2, jsonb_build_array(tests.prop('jitsiRoom', '"MpKitchen"'))),
      tests.rect(5, 'portal', 'Gate', 9, 6, 2, 2, jsonb_build_array(tests.prop('target_room', '"lobby"'), tests.prop('door_x', '10'),
                                                                    tests.prop('door_y', '7')))),
    jsonb_build_array(tests.prop('name', '"Great Hall"'), tests.prop('max_speed', '50'), tests.prop('proximity_radius', '4')))),
  ('hall-2', tests.map(ARRAY['............', '............', '............', '.....#......', '.....#......', '.....#......',
                             '............', '............'],
    jsonb_build_array(
      tests.point(1, 'spawn', 'North', 8, 4, jsonb_build_array(tests.prop('direction', '"up"'))),
      tests.rect(3, 'meeting', 'The Board', 1, 1, 3, 2, jsonb_build_array(tests.prop('jitsiRoom', '"MpBoard"'), tests.prop('slug', '"board"'))),
      tests.rect(5, 'portal', 'Gate', 9, 6, 2, 2, jsonb_build_array(tests.prop('target_room', '"lobby"'), tests.prop('door_x', '10'),
                                                                    tests.prop('door_y', '7')))),
    jsonb_build_array(tests.prop('name', '"Great Hall"')))),
  ('plain', tests.map(ARRAY['......', '......', '......', '......'], jsonb_build_array(tests.point(1, 'spawn', 'Start', 1, 1))));

-- Grants: publish_map ==============================================================================

SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.publish_map('mp', 'hall', tests.map_named('hall-1')) - 'room_id',
  '{"version": 1, "summary": {"width": 12, "height": 8, "layers": 2, "buildings": 3, "tile_width": 32, "tile_height": 32, "spawn_points": 2, "blocked_tiles": 3}}'::jsonb,
  'the owner publishes a map into a new room: version 1 and the summary');
SELECT tests.as_owner();
SELECT results_eq($$SELECT r.id, r.name, r.width_tiles, r.height_tiles, r.default_spawn_x, r.default_spawn_y, r.max_speed,
                           r.proximity_radius, r.map_version, r.is_main FROM app.rooms r WHERE r.id = tests.room('mp', 'hall')$$,
  $$SELECT tests.room('mp', 'hall'), 'Great Hall', 12, 8, 8, 4, 50::numeric, 4, 1, false$$,
  'the room was created from the map: its name, size, settings, default spawn (the first player spawn by slug: north) and current version');
SELECT results_eq($$SELECT v.world_id, v.name, v.published_by, v.publisher_role, v.restored_from, v.width, v.height,
                           v.collision::text, v.map = tests.map_named('hall-1')
                      FROM app.map_versions v WHERE v.room_id = tests.room('mp', 'hall')$$,
  $$SELECT tests.world('mp'), 'Great Hall', tests.id_of('Olga'), 'player', NULL::integer, 12, 8,
           repeat('0', 36) || '000001000000' || '000001000000' || '000001000000' || repeat('0', 24), true$$,
  'the version records its world, name, publisher, size, the map as published and one collision bit per tile (y * width + x)');

SELECT tests.authenticate_as(tests.id_of('Ed'));
SELECT is(api.publish_map('mp', 'hall', tests.map_named('hall-2')) ->> 'version', '2', 'an editor publishes the next version');
SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp', 'hall', tests.map_named('hall-1'))$$, 'PT403',
  'only the world''s owner and editors publish its maps', 'a member of the world may not publish (403)');
SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp', 'hall', tests.map_named('hall-1'))$$, 'PT404',
  'unknown world', 'a player outside a private world does not learn it exists (404)');
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp-pub', 'hall', tests.map_named('hall-1'))$$, 'PT403',
  'only the world''s owner and editors publish its maps', 'a player who sees a public world but does not edit it may not publish (403)');
SELECT tests.authenticate_as(tests.id_of('Bert'));
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp', 'hall', tests.map_named('hall-1'))$$, 'PT404',
  'unknown world', 'an editor banned from the world may not publish: the world is hidden from him (404)');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp-old', 'hall', tests.map_named('hall-1'))$$, 'PT403',
  'only the world''s owner and editors publish its maps', 'not even the owner publishes into an archived world (403)');
SELECT tests.api_throws_ok($$SELECT api.publish_map('ark', 'hall', tests.map_named('hall-1'))$$, 'PT403',
  'only the world''s owner and editors publish its maps', 'a player does not publish into the installation''s world');
SELECT tests.api_throws_ok($$SELECT api.publish_map(NULL, 'hall', tests.map_named('hall-1'))$$, 'PT400',
  'world_slug is required', 'a publish without a world is a 400');
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp', 'Bad Slug', tests.map_named('hall-1'))$$, 'PT400',
  'room_slug must be a slug', 'a malformed room slug is a 400');
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp', 'hall', tests.map_named('hall-1'), repeat('n', 65))$$, 'PT400',
  'name must be 1 to 64 characters', 'a 65-character name is a 400');
SELECT tests.clear_authentication();
SELECT throws_ok($$SELECT api.publish_map('mp-pub', 'hall', '{}')$$, '42501', 'permission denied for function publish_map',
  'web_anon may not publish');
SELECT tests.authenticate_service('agent_service');
SELECT throws_ok($$SELECT api.publish_map('ark', 'hall', '{}')$$, '42501', 'permission denied for function publish_map',
  'agent_service may not publish');
SELECT tests.authenticate_service('content_admin');
SELECT is(api.publish_map('ark', 'tap-plaza', tests.map_named('plain'), 'Plaza') ->> 'version', '1',
  'content_admin publishes into the installation''s world, creating the room');
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp-pub', 'hall', tests.map_named('hall-1'))$$, 'PT403',
  'only the world''s owner and editors publish its maps', 'content_admin may not publish into a player''s public world (403)');
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp', 'hall', tests.map_named('hall-1'))$$, 'PT404',
  'unknown world', 'content_admin does not see a player''s private world (404)');
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp-retired', 'hall', tests.map_named('hall-1'))$$, 'PT403',
  'only the world''s owner and editors publish its maps', 'content_admin may not publish into an archived installation world (403)');
SELECT tests.as_owner();
SELECT results_eq($$SELECT r.name, v.name, v.published_by, v.publisher_role FROM app.rooms r
                      JOIN app.map_versions v ON v.room_id = r.id AND v.version = r.map_version WHERE r.id = tests.room('ark', 'tap-plaza')$$,
  $$VALUES ('Plaza', 'Plaza', NULL::uuid, 'content_admin')$$,
  'content_admin''s version has no player as publisher, role content_admin, and the name given, which the room takes too');
SELECT is(app.dba_publish_map('mp-retired', 'hall', tests.map_named('plain')) ->> 'version', '1',
  'a DBA publishes from psql into any world, an archived one too');
SELECT is((SELECT publisher_role FROM app.map_versions WHERE room_id = tests.room('mp-retired', 'hall')), 'dba',
  'as role dba');
SELECT throws_ok($$SELECT app.dba_publish_map('no-such-world', 'hall', tests.map_named('plain'))$$, 'P0002', 'unknown world',
  'app.dba_publish_map names an unknown world');
SELECT is(ARRAY(SELECT r FROM unnest(ARRAY['web_anon', 'player', 'agent_service', 'content_admin', 'bridge', 'authenticator']) r
                 WHERE has_function_privilege(r, 'app.dba_publish_map(text, text, jsonb, text)', 'EXECUTE')
                    OR has_function_privilege(r, 'app.map_publish(app.worlds, text, jsonb, text, text, uuid, integer)', 'EXECUTE')),
          '{}', 'no API role calls app.dba_publish_map or app.map_publish, which check nobody');

-- Grants: restore_map and validate_map ============================================================

SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT tests.api_throws_ok($$SELECT api.restore_map('mp', 'hall', 1)$$, 'PT403',
  'only the world''s owner and editors publish its maps', 'a member may not restore (403)');
SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT tests.api_throws_ok($$SELECT api.restore_map('mp', 'hall', 1)$$, 'PT404', 'unknown world', 'an outsider may not restore (404)');
SELECT tests.authenticate_as(tests.id_of('Bert'));
SELECT tests.api_throws_ok($$SELECT api.restore_map('mp', 'hall', 1)$$, 'PT404', 'unknown world', 'a banned editor may not restore (404)');
SELECT tests.clear_authentication();
SELECT throws_ok($$SELECT api.restore_map('mp', 'hall', 1)$$, '42501', 'permission denied for function restore_map',
  'web_anon may not restore');
SELECT tests.authenticate_service('agent_service');
SELECT throws_ok($$SELECT api.restore_map('ark', 'tap-plaza', 1)$$, '42501', 'permission denied for function restore_map',
  'agent_service may not restore');
SELECT tests.authenticate_service('content_admin');
SELECT tests.api_throws_ok($$SELECT api.restore_map('mp-retired', 'hall', 1)$$, 'PT403',
  'only the world''s owner and editors publish its maps', 'content_admin may not restore in an archived installation world');
SELECT is(api.restore_map('ark', 'tap-plaza', 1) ->> 'version', '2', 'content_admin restores in the installation''s world');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT tests.api_throws_ok($$SELECT api.restore_map('mp', 'hall', 9)$$, 'PT404', 'unknown map version', 'an unknown version is a 404');
SELECT tests.api_throws_ok($$SELECT api.restore_map('mp', 'nowhere', 1)$$, 'PT404', 'unknown map version', 'an unknown room is a 404');
SELECT tests.api_throws_ok($$SELECT api.restore_map('ark', 'tap-plaza', 1)$$, 'PT403',
  'only the world''s owner and editors publish its maps', 'a player may not restore in the installation''s world');
SELECT tests.api_throws_ok($$SELECT api.restore_map('mp-old', 'lobby', 1)$$, 'PT403',
  'only the world''s owner and editors publish its maps', 'not even the owner restores in an archived world (403)');

SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT is(api.validate_map(tests.map_named('hall-2')) - 'summary', '{"ok": true, "errors": []}'::jsonb,
  'any player validates a map: ok, no problem');
SELECT is(api.validate_map(tests.map_named('hall-1')) - 'summary', '{"ok": true, "errors": []}'::jsonb,
  'validate_map consults no room: a portal''s target_room is not checked without a world');
SELECT tests.authenticate_service('content_admin');
SELECT is(api.validate_map(jsonb_set(tests.map_named('hall-2'), '{orientation}', '"isometric"')),
  jsonb_build_object('ok', false, 'errors', jsonb_build_array(jsonb_build_object('path', '/orientation', 'severity', 'error',
                     'message', 'only orthogonal maps are supported')),
                     'summary', api.validate_map(tests.map_named('hall-2')) -> 'summary'),
  'content_admin validates a map: an isometric one is not ok, with the error''s JSON pointer');
SELECT tests.clear_authentication();
SELECT throws_ok($$SELECT api.validate_map('{}')$$, '42501', 'permission denied for function validate_map', 'web_anon may not validate');
SELECT tests.authenticate_service('agent_service');
SELECT throws_ok($$SELECT api.validate_map('{}')$$, '42501', 'permission denied for function validate_map', 'agent_service may not validate');

-- Derived rows: replaced on publish, hand-made ones kept =============================================

SELECT tests.as_owner();
SELECT is(tests.buildings_of(tests.room('mp', 'hall')),
  ARRAY['board The Board meeting (1,1) 3x2 door (2,1) derived', 'gate Gate portal (9,6) 2x2 door (10,7) derived'],
  'version 2 made the room''s buildings: the board renamed and smaller, the kitchen gone (a meeting without a door gets its centre tile)');
SELECT is(tests.spawns_of(tests.room('mp', 'hall')), ARRAY['north player (8,4) up derived'],
  'and its spawn points: the south spawn gone');
INSERT INTO tests.v SELECT 'board', id FROM app.buildings WHERE room_id = tests.room('mp', 'hall') AND slug = 'board';
INSERT INTO tests.v SELECT 'gate', id FROM app.buildings WHERE room_id = tests.room('mp', 'hall') AND slug = 'gate';
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT lives_ok($$INSERT INTO api.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                  VALUES (tests.room('mp', 'hall'), 'desk', 'Desk', 'meeting', 6, 6, 1, 1, 6, 6, 'MpDesk')$$,
  'the owner adds a building by hand');
SELECT lives_ok($$INSERT INTO api.spawn_points (room_id, slug, x, y, type) VALUES (tests.room('mp', 'hall'), 'hand', 11, 0, 'player')$$,
  'and a spawn point');
SELECT tests.as_owner();
INSERT INTO tests.v SELECT 'hand-made', jsonb_build_array(
  (SELECT to_jsonb(b) FROM app.buildings b WHERE b.room_id = tests.room('mp', 'hall') AND b.slug = 'desk'),
  (SELECT to_jsonb(s) FROM app.spawn_points s WHERE s.room_id = tests.room('mp', 'hall') AND s.slug = 'hand'));

SELECT tests.authenticate_as(tests.id_of('Ed'));
SELECT is(api.restore_map('mp', 'hall', 1) - 'room_id',
  '{"version": 3, "summary": {"width": 12, "height": 8, "layers": 2, "buildings": 3, "tile_width": 32, "tile_height": 32, "spawn_points": 2, "blocked_tiles": 3}}'::jsonb,
  'an editor restores version 1: it is published again as version 3, with version 1''s summary');
SELECT tests.as_owner();
SELECT is(tests.buildings_of(tests.room('mp', 'hall')),
  ARRAY['board Board Room meeting (1,1) 3x3 door (2,2) derived', 'desk Desk meeting (6,6) 1x1 door (6,6)',
        'gate Gate portal (9,6) 2x2 door (10,7) derived', 'kitchen Kitchen meeting (7,1) 2x2 door (7,1) derived'],
  'the restore brought version 1''s buildings back (the kitchen, the board''s old name and size) beside the hand-made desk');
SELECT is(tests.spawns_of(tests.room('mp', 'hall')),
  ARRAY['hand player (11,0) down', 'north player (8,4) up derived', 'south player (2,6) down derived'],
  'and its spawn points beside the hand-made one');
SELECT is((SELECT array_agg(id::text ORDER BY slug) FROM app.buildings WHERE room_id = tests.room('mp', 'hall') AND slug IN ('board', 'gate')),
  ARRAY[tests.v('board'), tests.v('gate')], 'a derived building whose slug stays keeps its id across publishes');
INSERT INTO tests.v SELECT 'kitchen', id FROM app.buildings WHERE room_id = tests.room('mp', 'hall') AND slug = 'kitchen';

-- hall-3: hall-1 with the kitchen renamed the pantry (no slug property: its slug is its name's).
INSERT INTO tests.maps SELECT 'hall-3', jsonb_set(tests.map_named('hall-1'), '{layers,1,objects,3,name}', '"Pantry"');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.publish_map('mp', 'hall', tests.map_named('hall-3')) ->> 'version', '4', 'the owner publishes version 4');
SELECT tests.as_owner();
SELECT is(tests.buildings_of(tests.room('mp', 'hall')),
  ARRAY['board Board Room meeting (1,1) 3x3 door (2,2) derived', 'desk Desk meeting (6,6) 1x1 door (6,6)',
        'gate Gate portal (9,6) 2x2 door (10,7) derived', 'pantry Pantry meeting (7,1) 2x2 door (7,1) derived'],
  'a renamed building without a slug property takes its new name''s slug: the kitchen is replaced by the pantry');
SELECT ok((SELECT id::text FROM app.buildings WHERE room_id = tests.room('mp', 'hall') AND slug = 'pantry') <> tests.v('kitchen')
          AND NOT EXISTS (SELECT FROM app.buildings WHERE id::text = tests.v('kitchen')),
  'the pantry is a new row, and the kitchen''s row is gone');
SELECT is(jsonb_build_array(
            (SELECT to_jsonb(b) FROM app.buildings b WHERE b.room_id = tests.room('mp', 'hall') AND b.slug = 'desk'),
            (SELECT to_jsonb(s) FROM app.spawn_points s WHERE s.room_id = tests.room('mp', 'hall') AND s.slug = 'hand'))::text,
          tests.v('hand-made'),
  'the hand-made building and spawn point are unchanged by three publishes');

-- Versions, and the reads: GET /room_maps and GET /map_versions ====================================

SELECT results_eq($$SELECT version, name, published_by, publisher_role, restored_from FROM app.map_versions
                     WHERE room_id = tests.room('mp', 'hall') ORDER BY version$$,
  $$VALUES (1, 'Great Hall', tests.id_of('Olga'), 'player', NULL::integer), (2, 'Great Hall', tests.id_of('Ed'), 'player', NULL),
           (3, 'Great Hall', tests.id_of('Ed'), 'player', 1), (4, 'Great Hall', tests.id_of('Olga'), 'player', NULL)$$,
  'the room''s versions are numbered 1, 2, 3, 4; the restore is by who restored it, from version 1');
SELECT is((SELECT array_agg(room_id = tests.room('mp', 'hall') ORDER BY room_id = tests.room('mp', 'hall'), version) FROM app.map_versions
            WHERE room_id IN (tests.room('mp', 'hall'), tests.room('ark', 'tap-plaza'), tests.room('mp-retired', 'hall'))),
  ARRAY[false, false, false, true, true, true, true],
  'each room numbers its own versions');
SELECT is((SELECT array_agg(version ORDER BY room_id = tests.room('mp-retired', 'hall'), version) FROM app.map_versions
            WHERE room_id IN (tests.room('ark', 'tap-plaza'), tests.room('mp-retired', 'hall'))),
  ARRAY[1, 2, 1], 'from 1: the plaza has versions 1 and 2, the retired hall version 1');
SELECT ok((SELECT a.map = b.map AND a.summary = b.summary AND a.collision = b.collision AND b.map = tests.map_named('hall-1')
             FROM app.map_versions a, app.map_versions b
            WHERE a.room_id = tests.room('mp', 'hall') AND b.room_id = a.room_id AND a.version = 1 AND b.version = 3),
  'the restored version holds version 1''s map, summary and walls');

SELECT tests.authenticate_as(tests.id_of('Mia'));
SELECT results_eq($$SELECT room_id, world_slug::text, room_slug::text, version, map = tests.map_named('hall-3') FROM api.room_maps
                     WHERE world_slug = 'mp' AND room_slug = 'hall'$$,
  $$SELECT tests.room('mp', 'hall'), 'mp', 'hall', 4, true$$,
  'GET /room_maps: a member reads the room''s current map, as published');
SELECT results_eq($$SELECT version FROM app.map_versions WHERE room_id = tests.room('mp', 'hall')$$, ARRAY[4],
  'a member reads the current version only');
SELECT is_empty($$SELECT * FROM api.map_versions$$, 'GET /map_versions: a member reads no history');
SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT is_empty($$SELECT * FROM api.room_maps WHERE world_slug = 'mp'$$, 'an outsider reads no map of a private world');
SELECT is_empty($$SELECT * FROM app.map_versions WHERE world_id = tests.world('mp')$$, 'nor any version of one');
SELECT is_empty($$SELECT * FROM api.map_versions$$, 'nor any history');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT results_eq($$SELECT version, name, published_by, publisher_role, restored_from, summary ->> 'buildings'
                      FROM api.map_versions WHERE room_id = tests.room('mp', 'hall')$$,
  $$VALUES (4, 'Great Hall', tests.id_of('Olga'), 'player', NULL::integer, '3'), (3, 'Great Hall', tests.id_of('Ed'), 'player', 1, '3'),
           (2, 'Great Hall', tests.id_of('Ed'), 'player', NULL, '2'), (1, 'Great Hall', tests.id_of('Olga'), 'player', NULL, '3')$$,
  'GET /map_versions: the owner reads the room''s history, newest first');
SELECT is((SELECT array_agg(version ORDER BY version) FROM api.map_versions WHERE room_id = tests.room('mp', 'hall')), ARRAY[1, 2, 3, 4],
  'the owner reads every version through app.map_versions'' policies');
SELECT lives_ok($$SELECT api.publish_map('mp-pub', 'square', tests.map_named('plain'))$$, 'the owner publishes a map in her public world');
SELECT tests.authenticate_as(tests.id_of('Ed'));
SELECT is((SELECT count(*) FROM api.map_versions WHERE room_id = tests.room('mp', 'hall')), 4::bigint, 'an editor reads the history too');
SELECT is((SELECT count(*) FROM api.map_versions WHERE room_id = tests.room('mp-pub', 'square')), 0::bigint,
  'but not that of a world he does not edit');
SELECT tests.clear_authentication();
SELECT results_eq($$SELECT room_slug::text, version FROM api.room_maps WHERE world_slug = 'mp-pub'$$, $$VALUES ('square', 1)$$,
  'web_anon reads the map of a public world''s room');
SELECT is_empty($$SELECT * FROM api.room_maps WHERE world_slug = 'mp'$$, 'but not one of a private world');
SELECT throws_ok($$SELECT * FROM api.map_versions$$, '42501', 'permission denied for view map_versions', 'web_anon reads no history');
SELECT tests.authenticate_service('agent_service');
SELECT throws_ok($$SELECT * FROM api.map_versions$$, '42501', 'permission denied for view map_versions', 'agent_service reads no history');
SELECT tests.authenticate_service('content_admin');
SELECT results_eq($$SELECT version, restored_from FROM api.map_versions WHERE room_id = tests.room('ark', 'tap-plaza')$$,
  $$VALUES (2, 1), (1, NULL::integer)$$, 'content_admin reads the history of the installation''s rooms');
SELECT is((SELECT count(*) FROM api.map_versions WHERE room_id = tests.room('mp-retired', 'hall')), 1::bigint,
  'an archived installation world''s too');
SELECT is((SELECT count(*) FROM api.map_versions WHERE room_id IN (tests.room('mp', 'hall'), tests.room('mp-pub', 'square'))), 0::bigint,
  'but no player world''s');

-- Immutability =====================================================================================

SELECT tests.as_owner();
SELECT throws_ok($$UPDATE app.map_versions SET name = 'Forged' WHERE room_id = tests.room('mp', 'hall') AND version = 1$$,
  '23000', 'map versions are immutable', 'not even the database owner updates a map version');
SELECT throws_ok($$UPDATE app.map_versions SET collision = ~collision WHERE room_id = tests.room('mp', 'hall')$$,
  '23000', 'map versions are immutable', 'nor its walls');
SELECT throws_ok($$DELETE FROM app.map_versions WHERE room_id = tests.room('mp', 'hall') AND version = 1$$,
  '23000', 'map versions are immutable', 'nor deletes one while its room exists');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT throws_ok($$UPDATE app.map_versions SET name = 'Forged' WHERE room_id = tests.room('mp', 'hall')$$,
  '42501', 'permission denied for table map_versions', 'the world''s owner may not update a version');
SELECT throws_ok($$DELETE FROM app.map_versions WHERE room_id = tests.room('mp', 'hall')$$,
  '42501', 'permission denied for table map_versions', 'nor delete one');
SELECT throws_ok($$INSERT INTO app.map_versions (room_id, world_id, version, name, map, summary, width, height, collision, publisher_role)
                   VALUES (tests.room('mp', 'hall'), tests.world('mp'), 9, 'Forged', '{}', '{}', 1, 1, B'0', 'player')$$,
  '42501', 'permission denied for table map_versions', 'nor write one but through publish_map');
SELECT lives_ok($$SELECT api.publish_map('mp', 'scratch', tests.map_named('plain'))$$, 'the owner publishes a scratch room ...');
SELECT lives_ok($$SELECT api.publish_map('mp', 'scratch', tests.map_named('plain'))$$, '... twice');
INSERT INTO tests.v VALUES ('scratch', tests.room('mp', 'scratch'));
SELECT is(tests.row_count($$DELETE FROM api.rooms WHERE slug = 'scratch' AND world_id = tests.world('mp')$$), 1::bigint,
  'and deletes the room');
SELECT tests.as_owner();
SELECT is((SELECT count(*) FROM app.map_versions WHERE room_id::text = tests.v('scratch')), 0::bigint,
  'deleting a room deleted its versions');

-- Atomic publish: a refused map changes nothing ====================================================
-- Ann stands at (10,7), outside a smaller map; Ben at (4,4), a wall of the maps below.

SELECT tests.as_owner();
SELECT tests.put('Ann', tests.room('mp', 'hall'), 10, 7);
SELECT tests.put('Ben', tests.room('mp', 'hall'), 4, 4);
INSERT INTO tests.v VALUES ('hall-before', tests.room_state(tests.room('mp', 'hall')));
INSERT INTO tests.maps VALUES
  -- Errors in the format and in an object: type, and the north spawn on the wall (5,4).
  ('bad-format', jsonb_set(jsonb_set(tests.map_named('hall-3'), '{type}', '"mup"'), '{layers,1,objects,0,x}', to_jsonb(5 * 32 + 16))),
  -- Valid alone, but the hand-made desk (6,6) and spawn point (11,0) lie outside its 6 x 6 tiles.
  ('small', tests.map(ARRAY['......', '......', '......', '......', '....#.', '......'],
                      jsonb_build_array(tests.point(1, 'spawn', 'Start', 1, 1)))),
  -- Valid alone, but its meeting takes the slug of the hand-made desk.
  ('desk-twin', tests.map(ARRAY['............', '............', '............', '............', '....#.......', '............',
                                '............', '............'],
                          jsonb_build_array(tests.point(1, 'spawn', 'Start', 1, 1),
                                            tests.rect(2, 'meeting', 'Desk', 8, 1, 2, 2, jsonb_build_array(tests.prop('jitsiRoom', '"MpDesk2"')))))),
  -- Valid alone, but its meeting reuses the lobby's jitsiRoom, in another case.
  ('jitsi-twin', tests.map(ARRAY['............', '............', '............', '............', '....#.......', '............',
                                 '............', '............'],
                           jsonb_build_array(tests.point(1, 'spawn', 'Start', 1, 1),
                                             tests.rect(2, 'meeting', 'Corner', 8, 1, 2, 2, jsonb_build_array(tests.prop('jitsiRoom', '"lobbymeet"')))))),
  -- Valid, and fit for the room: a spawn point named Boom, which a test trigger refuses once it is written.
  ('boom', tests.map(ARRAY['............', '............', '............', '............', '....#.......', '............',
                           '............', '............'],
                     jsonb_build_array(tests.point(1, 'spawn', 'Boom', 1, 1))));
CREATE FUNCTION tests.refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'boom' USING ERRCODE = 'P0001';
END
$$;
CREATE TRIGGER tests_refuse_boom AFTER INSERT ON app.spawn_points FOR EACH ROW WHEN (NEW.slug = 'boom')
  EXECUTE FUNCTION tests.refuse_boom();

SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT tests.api_throws_ok($$SELECT api.publish_map('mp', 'hall', tests.map_named('bad-format'))$$, 'PT400', 'the map is not valid',
  'an invalid map is refused with 400');
SELECT is(tests.refused_paths($$SELECT api.publish_map('mp', 'hall', tests.map_named('bad-format'))$$), ARRAY['/type', '/layers/1/objects/0'],
  'with every problem at once in details.errors, each with its JSON pointer');
SELECT is(tests.room_state(tests.room('mp', 'hall'))::text, tests.v('hall-before'),
  'the invalid map changed nothing: the same current version and versions, room, buildings, spawn points and presence');
SELECT is(tests.refused_paths($$SELECT api.publish_map('mp', 'hall', tests.map_named('small'))$$), ARRAY['/width'],
  'a map too small for the hand-made building and spawn point is refused at /width');
SELECT matches((tests.error_of($$SELECT api.publish_map('mp', 'hall', tests.map_named('small'))$$) ->> 'detail')::jsonb #>> '{errors,0,message}',
  'hand-made building or spawn point of the room lies outside this map', 'saying a hand-made row lies outside it');
SELECT is(tests.room_state(tests.room('mp', 'hall'))::text, tests.v('hall-before'),
  'the smaller map changed nothing (Ann, outside it, was not moved)');
SELECT is(tests.refused_paths($$SELECT api.publish_map('mp', 'hall', tests.map_named('desk-twin'))$$), ARRAY['/layers/1/objects/1'],
  'a map whose building takes a hand-made building''s slug is refused at that object');
SELECT is(tests.room_state(tests.room('mp', 'hall'))::text, tests.v('hall-before'), 'and changed nothing');
SELECT is(tests.refused_paths($$SELECT api.publish_map('mp', 'hall', tests.map_named('jitsi-twin'))$$), ARRAY['/layers/1/objects/1/properties/0'],
  'a meeting that reuses another room''s jitsiRoom of the same world (in any case) is refused at the property');
SELECT is(tests.room_state(tests.room('mp', 'hall'))::text, tests.v('hall-before'), 'and changed nothing');
SELECT is(api.validate_map(tests.map_named('jitsi-twin')) ->> 'ok', 'true', 'the dry run, which consults no room, finds that map valid');
SELECT tests.as_owner();
CREATE FUNCTION tests.validate_errors(map text, world text, room text) RETURNS text[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg(e ->> 'path' ORDER BY o), '{}')
    FROM jsonb_array_elements(api.validate_map(tests.map_named(map), world, room) -> 'errors') WITH ORDINALITY AS x(e, o)
   WHERE e ->> 'severity' = 'error'
$$;
GRANT EXECUTE ON FUNCTION tests.validate_errors(text, text, text) TO player;
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(jsonb_build_array(to_jsonb(tests.validate_errors('jitsi-twin', 'mp', 'hall')), to_jsonb(tests.validate_errors('small', 'mp', 'hall')),
                            to_jsonb(tests.validate_errors('desk-twin', 'mp', 'hall')), to_jsonb(tests.validate_errors('hall-3', 'mp', 'hall'))),
          '[["/layers/1/objects/1/properties/0"], ["/width"], ["/layers/1/objects/1"], []]'::jsonb,
  'given the world and the room, validate_map finds what publish_map refuses: the other room''s jitsiRoom, the hand-made rows');
SELECT tests.authenticate_as(tests.id_of('Otto'));
SELECT tests.api_throws_ok($$SELECT api.validate_map(tests.map_named('plain'), 'mp', 'hall')$$, 'PT404', 'unknown world',
  'validate_map with a world the caller may not see is a 404');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT throws_ok($$SELECT api.publish_map('mp', 'hall', tests.map_named('boom'))$$, 'P0001', 'boom',
  'a publish that fails after it has written (a test trigger refuses its spawn point) fails as a whole');
SELECT is(tests.room_state(tests.room('mp', 'hall'))::text, tests.v('hall-before'),
  'and changed nothing either: no version 5, Ben not moved off his new wall');
SELECT tests.as_owner();
DROP TRIGGER tests_refuse_boom ON app.spawn_points;
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.publish_map('mp', 'hall', tests.map_named('boom')) ->> 'version', '5', 'the next publish is version 5: no gap');
SELECT tests.as_owner();
SELECT is(tests.spots('Ann', 'Ben'), ARRAY['Ann (10,7)', 'Ben (1,1)'], 'and it moved Ben off his wall to the spawn');

-- Relocation ======================================================================================
-- yard-1: 10 x 8, all floor. yard-2: 6 x 6, walls at (4,4) and (5,5), spawns zeta (0,5) before alpha
-- (2,0) in the map: alpha comes first by slug. yard-3: 5 x 5 without a spawn, (2,0) a wall, the centre
-- free. yard-4: 5 x 5 without a spawn, the centre (2,2) and (0,0) walls.
INSERT INTO tests.maps VALUES
  ('yard-1', tests.map(ARRAY['..........', '..........', '..........', '..........', '..........', '..........', '..........',
                             '..........'], jsonb_build_array(tests.point(1, 'spawn', 'Gate', 0, 0)))),
  ('yard-2', tests.map(ARRAY['......', '......', '......', '......', '....#.', '.....#'],
                       jsonb_build_array(tests.point(1, 'spawn', 'Zeta', 0, 5, jsonb_build_array(tests.prop('direction', '"left"'))),
                                         tests.point(2, 'spawn', 'Alpha', 2, 0)))),
  ('yard-3', tests.map(ARRAY['..#..', '.....', '.....', '.....', '.....'])),
  ('yard-4', tests.map(ARRAY['#....', '.....', '..#..', '.....', '.....']));
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT lives_ok($$SELECT api.publish_map('mp', 'yard', tests.map_named('yard-1'))$$, 'the yard is published, 10 x 8');
SELECT tests.as_owner();
-- Ann on the future wall (4,4), Ben at (8,6), outside the future map, Cat on (1,1), which stays floor,
-- Dan offline on the future wall (5,5).
SELECT tests.put('Ann', tests.room('mp', 'yard'), 4, 4);
SELECT tests.put('Ben', tests.room('mp', 'yard'), 8, 6);
SELECT tests.put('Cat', tests.room('mp', 'yard'), 1, 1);
SELECT tests.put('Dan', tests.room('mp', 'yard'), 5, 5, status => 'offline');
UPDATE app.player_presence SET direction = 'left' WHERE user_id = tests.id_of('Ann');
SELECT tests.taken_frames();
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT lives_ok($$SELECT api.publish_map('mp', 'yard', tests.map_named('yard-2'))$$, 'the yard shrinks to 6 x 6, with walls under Ann and Dan');
SELECT tests.as_owner();
SELECT is(tests.spots('Ann', 'Ben', 'Cat', 'Dan'), ARRAY['Ann (2,0)', 'Ben (2,0)', 'Cat (1,1)', 'Dan (2,0)'],
  'players on a new wall or outside the new map were moved, in the publishing transaction, to the first player spawn by slug (alpha); Cat stayed');
SELECT is((SELECT array_agg(direction || ' ' || status ORDER BY user_id) FROM app.player_presence
            WHERE user_id IN (tests.id_of('Ann'), tests.id_of('Dan'))),
  (SELECT array_agg(d ORDER BY u) FROM (VALUES (tests.id_of('Ann'), 'left online'), (tests.id_of('Dan'), 'down offline')) AS x(u, d)),
  'they keep their direction and status');
SELECT is(tests.taken_frames(),
  jsonb_build_array(jsonb_build_object('type', 'moves', 'world', 'mp', 'room', 'yard', 'moves',
    (SELECT jsonb_agg(jsonb_build_object('user_id', u, 'x', 2, 'y', 0, 'direction', d) ORDER BY u)
       FROM (VALUES (tests.id_of('Ann'), 'left'), (tests.id_of('Ben'), 'down')) AS m(u, d)))),
  'the room hears one moves frame with the two players online, as for any move; the offline one is not announced');
SELECT results_eq($$SELECT width_tiles, height_tiles, default_spawn_x, default_spawn_y FROM app.rooms WHERE id = tests.room('mp', 'yard')$$,
  $$VALUES (6, 6, 2, 0)$$, 'the room is 6 x 6 with its default spawn at alpha');

SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT is(api.validate_map(tests.map_named('yard-3')) -> 'errors',
  '[{"path": "/layers", "message": "the map has no player spawn point: players start at its centre, or the first free tile", "severity": "warning"}]',
  'a map without a spawn point has a warning, not an error');
SELECT lives_ok($$SELECT api.publish_map('mp', 'yard', tests.map_named('yard-3'))$$, 'and publishes');
SELECT tests.as_owner();
SELECT is(tests.spots('Ann', 'Ben', 'Cat', 'Dan'), ARRAY['Ann (2,2)', 'Ben (2,2)', 'Cat (1,1)', 'Dan (2,2)'],
  'without a spawn point, the players on the new wall (2,0) moved to the default spawn, the free centre');
SELECT is(tests.spawns_of(tests.room('mp', 'yard')), '{}', 'the spawn points the previous map made are gone');
SELECT tests.taken_frames();
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT lives_ok($$SELECT api.publish_map('mp', 'yard', tests.map_named('yard-4'))$$, 'a map whose centre and first tile are walls publishes');
SELECT tests.as_owner();
SELECT is(tests.spots('Ann', 'Ben', 'Cat', 'Dan'), ARRAY['Ann (1,0)', 'Ben (1,0)', 'Cat (1,1)', 'Dan (1,0)'],
  'the players on the walled centre moved to the first walkable tile in reading order');
SELECT results_eq($$SELECT default_spawn_x, default_spawn_y FROM app.rooms WHERE id = tests.room('mp', 'yard')$$, $$VALUES (1, 0)$$,
  'which is the room''s default spawn');
SELECT is(jsonb_array_length(tests.taken_frames() -> 0 -> 'moves'), 2, 'announced as one moves frame of two');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT lives_ok($$SELECT api.publish_map('mp', 'yard', tests.map_named('yard-4'))$$, 'the same map again ...');
SELECT is(tests.taken_frames(), '[]', '... moves nobody and announces nothing');

-- The move rule with walls: REST ==================================================================
-- walls-1, 10 x 10: walls at (3,2), (4,4), (5,5) (two walls meeting at a corner) and (7,7).
SELECT tests.as_owner();
INSERT INTO tests.maps VALUES
  ('walls-1', tests.map(ARRAY['..........', '..........', '...#......', '..........', '....#.....', '.....#....', '..........',
                              '.......#..', '..........', '..........'],
                        jsonb_build_array(tests.point(1, 'spawn', 'Start', 0, 9)), jsonb_build_array(tests.prop('max_speed', '100')))),
  -- The same without the wall (3,2).
  ('walls-2', tests.map(ARRAY['..........', '..........', '..........', '..........', '....#.....', '.....#....', '..........',
                              '.......#..', '..........', '..........'],
                        jsonb_build_array(tests.point(1, 'spawn', 'Start', 0, 9)), jsonb_build_array(tests.prop('max_speed', '100'))));
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT lives_ok($$SELECT api.publish_map('mp', 'walls', tests.map_named('walls-1'))$$, 'a room with walls is published');
SELECT tests.as_owner();
-- A REST move as Ann from (x, y) with an allowance of budget: the DETAIL of its refusal, or 'accepted'.
CREATE FUNCTION tests.rest_move(from_x integer, from_y integer, to_x integer, to_y integer, budget real DEFAULT 20,
                                room text DEFAULT 'walls') RETURNS text
  LANGUAGE plpgsql AS $fn$
DECLARE
  e jsonb;
BEGIN
  PERFORM tests.as_owner();
  PERFORM tests.put('Ann', tests.room('mp', room), from_x, from_y, budget);
  PERFORM tests.authenticate_as(tests.id_of('Ann'));
  e := tests.error_of(format($$SELECT api.move(%s, %s, 'down')$$, to_x, to_y));
  PERFORM tests.as_owner();
  RETURN coalesce(e ->> 'detail', 'accepted');
END
$fn$;
GRANT EXECUTE ON FUNCTION tests.rest_move(integer, integer, integer, integer, real, text) TO player;

SELECT is(tests.rest_move(3, 1, 3, 2), 'blocked', 'REST: a step onto a wall is refused, reason blocked');
SELECT tests.authenticate_as(tests.id_of('Ann'));
SELECT is(tests.error_of($$SELECT api.move(3, 2, 'down')$$) - 'hint',
  '{"sqlstate": "22023", "message": "invalid move: the way from (3, 1) to (3, 2) is blocked by a wall", "detail": "blocked"}'::jsonb,
  'as a 400 (22023) like any refused move, with a readable message');
SELECT tests.as_owner();
SELECT is(tests.spots('Ann'), ARRAY['Ann (3,1)'], 'the refused move left Ann where she stood');
SELECT is(tests.budget('Ann'), 20::real, 'and spent no allowance');
SELECT is(tests.rest_move(1, 2, 5, 2), 'blocked', 'REST: a move of four tiles through the wall (3,2) is refused');
SELECT is(tests.rest_move(5, 2, 1, 2), 'blocked', 'and so is the way back');
SELECT is(tests.rest_move(3, 0, 3, 6), 'blocked', 'a move down across the wall');
SELECT is(tests.rest_move(6, 6, 8, 8), 'blocked', 'a diagonal through the middle of a wall (7,7)');
SELECT is(tests.rest_move(4, 5, 5, 4), 'blocked', 'a diagonal between two walls meeting at a corner (4,4) and (5,5): the supercover line');
SELECT is(tests.rest_move(5, 4, 4, 5), 'blocked', 'the same corner the other way');
SELECT is(tests.rest_move(3, 3, 6, 6), 'blocked', 'a long diagonal through that corner');
SELECT is(tests.rest_move(6, 7, 7, 8), 'blocked', 'a diagonal past the corner of one wall (7,7) is refused too: both tiles beside a corner count');
SELECT is(tests.rest_move(0, 0, 2, 2), 'accepted', 'a diagonal whose tiles and corners are all floor is accepted');
SELECT is(tests.rest_move(0, 9, 9, 9), 'accepted', 'a long move along a free row is accepted');
SELECT is(tests.rest_move(2, 0, 4, 1), 'accepted', 'a slanted move that passes near a wall without touching it is accepted');
SELECT is(tests.rest_move(3, 2, 3, 3), 'accepted', 'a player standing on a wall (placed there by hand) may step off it');
SELECT is(tests.rest_move(1, 2, 5, 2, 1), 'too_fast', 'the speed budget comes first: a move too long for the allowance is too_fast, wall or not');
SELECT is(tests.rest_move(0, 0, 3, 0, 2.5), 'too_fast', 'and a free move too long for it is still too_fast');
SELECT is(tests.rest_move(0, 0, 3, 0, 3), 'accepted', 'while exactly the allowance passes');
SELECT is(tests.rest_move(3, 9, 3, 10), 'outside_room', 'the bounds are checked as before');

SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT lives_ok($$SELECT api.publish_map('mp', 'walls', tests.map_named('walls-2'))$$, 'a new version removes the wall (3,2)');
SELECT is(tests.rest_move(3, 1, 3, 2), 'accepted', 'the walls are the current version''s: the step is accepted now');
SELECT tests.authenticate_as(tests.id_of('Olga'));
SELECT lives_ok($$SELECT api.restore_map('mp', 'walls', 1)$$, 'restoring version 1 ...');
SELECT is(tests.rest_move(3, 1, 3, 2), 'blocked', '... brings the wall back');

SELECT ok(NOT app.move_blocked(tests.room('mp', 'lobby'), 0, 0, 19, 19) AND NOT app.move_blocked(gen_random_uuid(), 0, 0, 5, 5),
  'a room without a map, or no room, has no walls');
SELECT is(tests.rest_move(0, 0, 5, 5, 20, 'lobby'), 'accepted', 'and a move in it is accepted');

-- The move rule with walls: the socket's tick =======================================================
SELECT tests.as_owner();
SELECT tests.put('Ben', tests.room('mp', 'walls'), 1, 2);
SELECT tests.put('Cat', tests.room('mp', 'walls'), 4, 5, 2.5);
SELECT tests.taken_frames();
SELECT tests.as_bridge();
CREATE TEMP TABLE tick AS SELECT realtime.apply_moves(jsonb_build_array(
  tests.mv('Ben', 3, 2, 'right'),   -- 1: onto the wall
  tests.mv('Ben', 5, 2, 'right'),   -- 2: through it
  tests.mv('Cat', 5, 4, 'up'),      -- 3: between the two walls at the corner
  tests.mv('Ben', 1, 3, 'down'),    -- 4: accepted
  tests.mv('Cat', 7, 5, 'right'),   -- 5: too long for Cat's allowance of 2.5, and through the wall (5,5)
  tests.mv('Cat', 4, 6, 'down'),    -- 6: accepted
  tests.mv('Ben', 3, 1, 'up'),      -- 7: from (1,3), a diagonal past the corner of the wall (3,2)
  tests.mv('Ben', 1, 4, 'down'))) AS r;
SELECT tests.as_owner();
SELECT is((SELECT jsonb_agg(jsonb_build_array(CASE e ->> 'user_id' WHEN tests.id_of('Ben')::text THEN 'Ben' WHEN tests.id_of('Cat')::text THEN 'Cat' END,
                                              e -> 'reason') ORDER BY o)
             FROM tick, jsonb_array_elements(r) WITH ORDINALITY AS x(e, o)),
  '[["Ben", "blocked"], ["Ben", "blocked"], ["Cat", "blocked"], ["Cat", "too_fast"], ["Ben", "blocked"]]'::jsonb,
  'the socket refuses the same moves as REST: onto a wall, through one, between two at a corner (blocked), and a too-long one (too_fast)');
SELECT is(tests.spots('Ben', 'Cat'), ARRAY['Ben (1,4)', 'Cat (4,6)'], 'and applies the rest');

SELECT is((SELECT jsonb_agg(m ORDER BY m ->> 'user_id', o) FROM tests.frames f, jsonb_array_elements(f.frame -> 'moves') WITH ORDINALITY AS x(m, o)
            WHERE f.frame ->> 'type' = 'moves'),
  (SELECT jsonb_agg(m ORDER BY m ->> 'user_id', o)
     FROM unnest(ARRAY[tests.mv('Ben', 1, 3, 'down'), tests.mv('Ben', 1, 4, 'down'), tests.mv('Cat', 4, 6, 'down')]) WITH ORDINALITY AS x(m, o)),
  'the tick''s moves frame carries the accepted moves only');

-- The supercover rule, move by move ================================================================
-- app.move_blocked against a geometric statement of the rule, for every move between two tiles of a
-- 7 x 7 map: a move is blocked when the segment between the two tiles' centres touches a wall's closed
-- square (a corner counts), the tile it starts on excepted. In doubled coordinates everything is an
-- integer: centres are odd, tile borders even. Segment and square meet when their boxes overlap and the
-- square's corners are not all strictly on one side of the segment's line.
SELECT tests.as_owner();
CREATE FUNCTION tests.touches(fx integer, fy integer, tx integer, ty integer, cx integer, cy integer) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$
  SELECT greatest(least(2 * fx + 1, 2 * tx + 1), 2 * cx) <= least(greatest(2 * fx + 1, 2 * tx + 1), 2 * cx + 2)
     AND greatest(least(2 * fy + 1, 2 * ty + 1), 2 * cy) <= least(greatest(2 * fy + 1, 2 * ty + 1), 2 * cy + 2)
     AND NOT coalesce((SELECT bool_and(side > 0) OR bool_and(side < 0)
                         FROM (SELECT (2 * tx - 2 * fx) * (py - 2 * fy - 1) - (2 * ty - 2 * fy) * (px - 2 * fx - 1) AS side
                                 FROM (VALUES (2 * cx), (2 * cx + 2)) AS a(px), (VALUES (2 * cy), (2 * cy + 2)) AS b(py)) AS corners), false)
$$;
INSERT INTO tests.maps VALUES
  ('maze', tests.map(ARRAY['.......', '..#....', '...#...', '.......', '.#...#.', '.....#.', '#......'],
                     jsonb_build_array(tests.point(1, 'spawn', 'Start', 0, 0))));
SELECT lives_ok($$SELECT app.dba_publish_map('mp', 'maze', tests.map_named('maze'))$$, 'a 7 x 7 maze is published');
CREATE TEMP TABLE maze_moves AS
WITH tiles AS (SELECT x, y, substr((ARRAY['.......', '..#....', '...#...', '.......', '.#...#.', '.....#.', '#......'])[y + 1], x + 1, 1) = '#' AS wall
                 FROM generate_series(0, 6) x, generate_series(0, 6) y)
SELECT f.x AS fx, f.y AS fy, t.x AS tx, t.y AS ty,
       app.move_blocked(tests.room('mp', 'maze'), f.x, f.y, t.x, t.y) AS blocked,
       EXISTS (SELECT FROM tiles c WHERE c.wall AND (c.x, c.y) <> (f.x, f.y) AND tests.touches(f.x, f.y, t.x, t.y, c.x, c.y)) AS expected
  FROM tiles f, tiles t;
SELECT is_empty($$SELECT fx, fy, tx, ty, blocked, expected FROM maze_moves WHERE blocked <> expected$$,
  'app.move_blocked blocks exactly the moves whose straight path touches a wall, corners included, for all 2401 moves of the maze');
SELECT ok((SELECT count(*) FILTER (WHERE expected) BETWEEN 500 AND 2000 FROM maze_moves),
  'and that says something: many moves of the maze are blocked, many are not');
SELECT is_empty($$SELECT a.fx, a.fy, a.tx, a.ty FROM maze_moves a JOIN maze_moves b ON (b.fx, b.fy, b.tx, b.ty) = (a.tx, a.ty, a.fx, a.fy)
                   JOIN tests.maps m ON m.name = 'maze'
                  WHERE a.blocked <> b.blocked
                    AND NOT EXISTS (SELECT FROM app.map_versions v WHERE v.room_id = tests.room('mp', 'maze')
                                       AND get_bit(v.collision, a.fy * 7 + a.fx) + get_bit(v.collision, a.ty * 7 + a.tx) > 0)$$,
  'between two floor tiles, the way there is blocked exactly when the way back is');

-- A room with a map has the map's size: resizing it by hand (PATCH /rooms, psql) is refused, so that no tile
-- lies outside the collision grid; its other settings stay editable.
SELECT throws_ok(format('UPDATE app.rooms SET width_tiles = width_tiles + 1 WHERE id = %L', tests.room('mp', 'maze')),
  '23514', 'a room with a map has the size of its map', 'a room with a map cannot be made wider than its map');
SELECT throws_ok(format('UPDATE app.rooms SET height_tiles = 1 WHERE id = %L', tests.room('mp', 'maze')),
  '23514', 'a room with a map has the size of its map', 'nor lower');
SELECT lives_ok(format('UPDATE app.rooms SET name = ''Maze'', max_speed = 7 WHERE id = %L', tests.room('mp', 'maze')),
  'its name and speed stay editable');

-- Nothing stands on a wall by hand: the maze has a wall at (2, 1).
SELECT throws_ok(format($$INSERT INTO app.spawn_points (room_id, slug, x, y, type) VALUES (%L, 'on-wall', 2, 1, 'player')$$,
                        tests.room('mp', 'maze')),
  '23514', 'a spawn point cannot stand on a wall', 'a hand-made spawn point on a wall is refused');
SELECT throws_ok(format($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                          VALUES (%L, 'walled', 'Walled', 'meeting', 2, 1, 1, 1, 2, 1, 'mp-walled')$$, tests.room('mp', 'maze')),
  '23514', 'a door cannot be on a wall', 'so is a door on a wall');
SELECT throws_ok(format('UPDATE app.rooms SET default_spawn_x = 2, default_spawn_y = 1 WHERE id = %L', tests.room('mp', 'maze')),
  '23514', 'the default spawn is on a wall', 'and a default spawn on a wall');
SELECT lives_ok(format($$INSERT INTO app.spawn_points (room_id, slug, x, y, type) VALUES (%L, 'beside-wall', 1, 1, 'player')$$,
                       tests.room('mp', 'maze')),
  'a spawn point beside the wall is fine');

SELECT * FROM finish();
ROLLBACK;
