-- The seed content (db/seed.sql, issue section 4) is self-consistent, and applying it again changes
-- nothing. Every consistency check lists the offending rows, so a DBA's broken edit shows what to fix.
--
-- Run from inside the repository (make test and pg_prove from the top directory do): the second half
-- reads db/seed.sql through git rev-parse --show-toplevel.
BEGIN;
\ir helpers.psql

SELECT plan(40);

-- as the owner

-- The world --------------------------------------------------------------------------------------

SELECT results_eq($$SELECT slug::text FROM app.rooms WHERE is_main$$, ARRAY['town'],
  'the town is the one main room');
SELECT results_eq($$SELECT slug::text FROM app.agents WHERE is_active ORDER BY slug$$,
  ARRAY['chronicler', 'maven', 'sage', 'scout', 'trends'],
  'the five seed agents are active');
SELECT results_eq($$SELECT slug::text, name, role FROM app.agents WHERE slug IN ('scout', 'sage') ORDER BY slug$$,
  $$VALUES ('sage', 'Sage', 'Strategic Advisor'), ('scout', 'Scout', 'Research Specialist')$$,
  'scout and sage keep their slugs, names and roles');
SELECT set_has($$SELECT key FROM app.avatar_sprites$$, $$VALUES ('brendan'), ('may')$$,
  'the avatar sprites brendan and may exist');
SELECT is_empty($$SELECT slug FROM app.agents WHERE cardinality(routing_keywords) = 0$$,
  'every agent has routing keywords');
SELECT is_empty($$
  SELECT k, array_agg(a.slug ORDER BY a.slug) FROM app.agents a, unnest(a.routing_keywords) k
   GROUP BY k HAVING count(*) > 1$$,
  'no routing keyword routes to two agents');

-- Agents: a room, a door to it, a prompt and a place to stand
SELECT is_empty($$
  SELECT a.slug, count(b.id) FROM app.agents a
    LEFT JOIN app.buildings b ON b.agent_id = a.id AND b.type = 'agent_room'
                             AND b.room_id = (SELECT id FROM app.rooms WHERE is_main)
   GROUP BY a.slug HAVING count(b.id) <> 1$$,
  'every agent has exactly one agent_room building in the main room');
SELECT is_empty($$
  SELECT b.slug FROM app.buildings b LEFT JOIN app.rooms r ON r.id = b.target_room_id
   WHERE b.type = 'agent_room' AND (r.id IS NULL OR r.is_main OR r.id = b.room_id)$$,
  'every agent_room building leads to a room of its own');
SELECT is_empty($$
  SELECT b.target_room_id, array_agg(b.slug) FROM app.buildings b WHERE b.type = 'agent_room'
   GROUP BY b.target_room_id HAVING count(*) > 1$$,
  'no two agents share a room');
SELECT is_empty($$
  SELECT a.slug, count(p.id) FILTER (WHERE p.is_active) FROM app.agents a LEFT JOIN app.agent_prompts p ON p.agent_id = a.id
   GROUP BY a.slug HAVING count(p.id) FILTER (WHERE p.is_active) <> 1$$,
  'every agent has exactly one active prompt');
SELECT is_empty($$
  SELECT a.slug FROM app.agents a JOIN app.buildings b ON b.agent_id = a.id AND b.type = 'agent_room'
   WHERE NOT EXISTS (SELECT FROM app.spawn_points s
                      WHERE s.type = 'agent' AND s.agent_id = a.id AND s.room_id = b.target_room_id)$$,
  'every agent has an agent spawn point in its room');

-- Rooms: everything inside, a way in and a way out
SELECT is_empty($$
  SELECT r.slug, b.slug, b.door_x, b.door_y FROM app.buildings b JOIN app.rooms r ON r.id = b.room_id
   WHERE b.door_x NOT BETWEEN 0 AND r.width_tiles - 1 OR b.door_y NOT BETWEEN 0 AND r.height_tiles - 1$$,
  'every door lies inside its room');
SELECT is_empty($$
  SELECT r.slug, b.slug FROM app.buildings b JOIN app.rooms r ON r.id = b.room_id
   WHERE b.x < 0 OR b.y < 0 OR b.x + b.width > r.width_tiles OR b.y + b.height > r.height_tiles$$,
  'every building lies inside its room');
SELECT is_empty($$
  SELECT r.slug, s.slug FROM app.spawn_points s JOIN app.rooms r ON r.id = s.room_id
   WHERE s.x NOT BETWEEN 0 AND r.width_tiles - 1 OR s.y NOT BETWEEN 0 AND r.height_tiles - 1$$,
  'every spawn point lies inside its room');
SELECT is_empty($$
  SELECT r.slug FROM app.rooms r
   WHERE NOT EXISTS (SELECT FROM app.spawn_points s WHERE s.room_id = r.id AND s.type = 'player')$$,
  'every room has a player spawn point');
SELECT is_empty($$
  SELECT r.slug FROM app.rooms r
   WHERE NOT r.is_main AND NOT EXISTS (SELECT FROM app.buildings b WHERE b.target_room_id = r.id)$$,
  'a door leads to every room but the main one');
SELECT is_empty($$
  SELECT r.slug FROM app.rooms r
   WHERE NOT r.is_main
     AND NOT EXISTS (SELECT FROM app.buildings b JOIN app.rooms t ON t.id = b.target_room_id
                      WHERE b.room_id = r.id AND b.type = 'portal' AND t.is_main)$$,
  'every room but the main one has a portal back to it');
SELECT is_empty($$
  SELECT r.slug, b1.slug, b2.slug FROM app.buildings b1
    JOIN app.buildings b2 ON b2.room_id = b1.room_id AND b2.id > b1.id
    JOIN app.rooms r ON r.id = b1.room_id
   WHERE b1.x < b2.x + b2.width AND b2.x < b1.x + b1.width AND b1.y < b2.y + b2.height AND b2.y < b1.y + b1.height$$,
  'no two buildings in a room overlap');
SELECT is_empty($$
  SELECT r.slug, s.slug, b.slug FROM app.spawn_points s
    JOIN app.buildings b ON b.room_id = s.room_id JOIN app.rooms r ON r.id = s.room_id
   WHERE s.x BETWEEN b.x AND b.x + b.width - 1 AND s.y BETWEEN b.y AND b.y + b.height - 1$$,
  'no spawn point lies inside a building');
SELECT is_empty($$
  SELECT r.slug, b.slug FROM app.rooms r JOIN app.buildings b ON b.room_id = r.id
   WHERE r.default_spawn_x BETWEEN b.x AND b.x + b.width - 1 AND r.default_spawn_y BETWEEN b.y AND b.y + b.height - 1$$,
  'no room''s default spawn lies inside a building');

-- Maps (issue 12): every room is drawn by its current map, and what the map made of it is walkable
SELECT is_empty($$SELECT r.slug FROM app.rooms r WHERE r.map_version IS NULL$$,
  'every seed room has a current map');
SELECT is_empty($$
  SELECT r.slug, r.width_tiles, r.height_tiles, v.width, v.height FROM app.rooms r
    JOIN app.map_versions v ON v.room_id = r.id AND v.version = r.map_version
   WHERE (r.width_tiles, r.height_tiles) <> (v.width, v.height)$$,
  'every room is as large as its map');
SELECT is_empty($$
  SELECT 'building', b.slug FROM app.buildings b WHERE NOT b.derived
  UNION ALL SELECT 'spawn point', s.slug FROM app.spawn_points s WHERE NOT s.derived$$,
  'every seed building and spawn point is made by its room''s map');
SELECT is_empty($$
  SELECT r.slug, b.slug, b.door_x, b.door_y FROM app.buildings b JOIN app.rooms r ON r.id = b.room_id
    JOIN app.map_versions v ON v.room_id = r.id AND v.version = r.map_version
   WHERE b.door_x NOT BETWEEN 0 AND v.width - 1 OR b.door_y NOT BETWEEN 0 AND v.height - 1
      OR get_bit(v.collision, b.door_y * v.width + b.door_x) = 1$$,
  'every door lies inside its room''s map, on a walkable tile');
SELECT is_empty($$
  SELECT r.slug, s.slug, s.x, s.y FROM app.spawn_points s JOIN app.rooms r ON r.id = s.room_id
    JOIN app.map_versions v ON v.room_id = r.id AND v.version = r.map_version
   WHERE s.type = 'player' AND (s.x NOT BETWEEN 0 AND v.width - 1 OR s.y NOT BETWEEN 0 AND v.height - 1
                                OR get_bit(v.collision, s.y * v.width + s.x) = 1)$$,
  'every player spawn point is on a walkable tile');
SELECT is_empty($$
  SELECT r.slug, s.slug, s.x, s.y FROM app.spawn_points s JOIN app.rooms r ON r.id = s.room_id
    JOIN app.map_versions v ON v.room_id = r.id AND v.version = r.map_version
   WHERE s.type = 'agent' AND (s.x NOT BETWEEN 0 AND v.width - 1 OR s.y NOT BETWEEN 0 AND v.height - 1
                               OR get_bit(v.collision, s.y * v.width + s.x) = 1)$$,
  'every agent spawn point is on a walkable tile');
SELECT is_empty($$
  SELECT r.slug, r.default_spawn_x, r.default_spawn_y FROM app.rooms r
    JOIN app.map_versions v ON v.room_id = r.id AND v.version = r.map_version
   WHERE get_bit(v.collision, r.default_spawn_y * v.width + r.default_spawn_x) = 1$$,
  'every room''s default spawn is on a walkable tile');
SELECT ok((SELECT bool_and(v.summary ->> 'blocked_tiles' <> '0') FROM app.rooms r
             JOIN app.map_versions v ON v.room_id = r.id AND v.version = r.map_version),
  'every seed room has walls');
-- Walking: the tiles reachable from a room's default spawn by steps up, down, left and right over
-- walkable tiles.
CREATE TEMP TABLE seed_reach AS
WITH RECURSIVE reach(room_id, x, y) AS (
  SELECT r.id, r.default_spawn_x, r.default_spawn_y FROM app.rooms r
  UNION
  SELECT q.room_id, q.x + d.dx, q.y + d.dy
    FROM reach q
    JOIN app.rooms r ON r.id = q.room_id
    JOIN app.map_versions v ON v.room_id = r.id AND v.version = r.map_version
   CROSS JOIN (VALUES (1, 0), (-1, 0), (0, 1), (0, -1)) AS d(dx, dy)
   WHERE q.x + d.dx BETWEEN 0 AND v.width - 1 AND q.y + d.dy BETWEEN 0 AND v.height - 1
     AND get_bit(v.collision, (q.y + d.dy) * v.width + q.x + d.dx) = 0)
SELECT * FROM reach;
SELECT is_empty($$
  SELECT r.slug, b.slug FROM app.buildings b JOIN app.rooms r ON r.id = b.room_id
   WHERE NOT EXISTS (SELECT FROM seed_reach q WHERE q.room_id = b.room_id AND (q.x, q.y) = (b.door_x, b.door_y))
  UNION ALL
  SELECT r.slug, s.slug FROM app.spawn_points s JOIN app.rooms r ON r.id = s.room_id
   WHERE NOT EXISTS (SELECT FROM seed_reach q WHERE q.room_id = s.room_id AND (q.x, q.y) = (s.x, s.y))$$,
  'from each room''s default spawn a player walks to every door and every spawn point of the room');
SELECT ok((SELECT count(*) FROM seed_reach q JOIN app.rooms r ON r.id = q.room_id WHERE r.slug = 'town')
          < (SELECT width_tiles * height_tiles FROM app.rooms WHERE slug = 'town'),
  'and not everywhere: the walls keep players off some tiles of the town');
DROP TABLE seed_reach;

-- Applying the seed again -------------------------------------------------------------------------

-- db/seed.sql runs in a transaction of its own; without its BEGIN and COMMIT lines its statements run
-- inside this test's transaction and roll back with it. They run from a file (\i), not from a variable:
-- the seed's psql meta-commands (\set map_town `cat ...`) do not run inside an interpolated variable.
\set seed_statements `sed -e '/^BEGIN;$/d' -e '/^COMMIT;$/d' "$(git rev-parse --show-toplevel 2>/dev/null || echo .)/db/seed.sql"`
\set seed_file `echo "${TMPDIR:-/tmp}/ark-05-seed-$PPID.sql"`
\set seed_written `sed -e '/^BEGIN;$/d' -e '/^COMMIT;$/d' "$(git rev-parse --show-toplevel 2>/dev/null || echo .)/db/seed.sql" > "${TMPDIR:-/tmp}/ark-05-seed-$PPID.sql" && echo yes`

SELECT ok(:'seed_statements' LIKE '%INSERT INTO app.rooms%' AND :'seed_statements' NOT LIKE '%COMMIT;%',
  'db/seed.sql was read, without its BEGIN and COMMIT');

-- Everything the seed writes, row by row, as JSON. updated_at is left out here and checked apart.
CREATE FUNCTION tests.seed_content() RETURNS TABLE (tbl text, line jsonb)
  LANGUAGE sql STABLE AS $$
  SELECT 'avatar_sprites', to_jsonb(t) FROM app.avatar_sprites t
  UNION ALL SELECT 'rooms', to_jsonb(t) FROM app.rooms t
  UNION ALL SELECT 'agents', to_jsonb(t) - 'updated_at' FROM app.agents t
  UNION ALL SELECT 'agent_prompts', to_jsonb(t) FROM app.agent_prompts t
  UNION ALL SELECT 'buildings', to_jsonb(t) FROM app.buildings t
  UNION ALL SELECT 'spawn_points', to_jsonb(t) FROM app.spawn_points t
$$;
CREATE TABLE tests.seed_before AS SELECT * FROM tests.seed_content();
CREATE TABLE tests.agents_before AS SELECT slug, updated_at FROM app.agents;

\i :seed_file

SELECT bag_eq('SELECT * FROM tests.seed_content()', 'SELECT * FROM tests.seed_before',
  'applying db/seed.sql again changes no row of the content tables');
SELECT is_empty($$
  SELECT a.slug, b.updated_at AS before, a.updated_at AS after
    FROM app.agents a JOIN tests.agents_before b USING (slug) WHERE a.updated_at <> b.updated_at$$,
  'applying db/seed.sql again leaves the agents'' updated_at alone (nothing changed)');

-- A DBA's local edits to seeded rows are reset; rows the seed does not name are left alone.
-- (A room with a map keeps the map's size, app.rooms_map_size: 20-maps tests that; the spawn stands in.)
UPDATE app.rooms SET name = 'Renamed Town', default_spawn_x = 21 WHERE slug = 'town';
UPDATE app.agents SET greeting = 'Edited.', routing_keywords = '{edited}' WHERE slug = 'scout';
UPDATE app.buildings SET name = 'Moved Lab', x = 4 WHERE slug = 'scout-lab';  -- its door stays off the walls
UPDATE app.spawn_points SET direction = 'left' WHERE slug = 'town-square';
UPDATE app.avatar_sprites SET name = 'Edited' WHERE key = 'may';
INSERT INTO app.agents (slug, name, role, emoji, sprite_key, greeting) VALUES ('herald', 'Herald', 'Announcer', '📯', 'archie', 'Hear ye.');
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
VALUES ('annex', 'Annex', 'annex', 10, 10, 1, 1);
UPDATE app.agent_prompts SET is_active = false WHERE agent_id = (SELECT id FROM app.agents WHERE slug = 'sage');
INSERT INTO app.agent_prompts (agent_id, version, system_prompt, is_active)
SELECT id, 2, 'You are Sage, version two.', true FROM app.agents WHERE slug = 'sage';

\i :seed_file

SELECT bag_eq($$SELECT * FROM tests.seed_content()
                 WHERE NOT (tbl = 'agents' AND line ->> 'slug' = 'herald')
                   AND NOT (tbl = 'rooms' AND line ->> 'slug' = 'annex')
                   AND NOT (tbl = 'agent_prompts' AND line ->> 'agent_id' = (SELECT id::text FROM app.agents WHERE slug = 'sage'))$$,
  $$SELECT * FROM tests.seed_before
     WHERE NOT (tbl = 'agent_prompts' AND line ->> 'agent_id' = (SELECT id::text FROM app.agents WHERE slug = 'sage'))$$,
  'applying db/seed.sql resets the seeded rows a DBA edited');
SELECT results_eq($$SELECT slug::text FROM app.agents WHERE slug = 'herald'$$, ARRAY['herald'],
  'an agent the seed does not name is left alone');
SELECT results_eq($$SELECT slug::text FROM app.rooms WHERE slug = 'annex'$$, ARRAY['annex'],
  'a room the seed does not name is left alone');
SELECT results_eq($$SELECT p.version, p.is_active FROM app.agent_prompts p JOIN app.agents a ON a.id = p.agent_id
                     WHERE a.slug = 'sage' ORDER BY p.version$$,
  $$VALUES (1, false), (2, true)$$,
  'the seed keeps a published prompt version active and does not bring version 1 back');
SELECT is_empty($$SELECT FROM app.agent_prompts p JOIN app.agents a ON a.id = p.agent_id WHERE a.slug = 'herald'$$,
  'the seed writes prompts only for the agents it names');

-- A new agent added to the seed the way a DBA would, with its room, door, spawn points and prompt,
-- passes the same checks: adding content needs rows, not code.
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
VALUES ('room-herald', 'Herald''s Tower', 'room-herald', 20, 15, 10, 12);
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id, target_room_id)
SELECT (SELECT id FROM app.rooms WHERE slug = 'town'), 'herald-tower', 'Herald''s Tower', 'agent_room', 17, 21, 6, 5, 20, 25,
       (SELECT id FROM app.agents WHERE slug = 'herald'), (SELECT id FROM app.rooms WHERE slug = 'room-herald');
INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
SELECT (SELECT id FROM app.rooms WHERE slug = 'room-herald'), 'exit', 'Back to town', 'portal', 9, 14, 2, 1, 10, 14,
       (SELECT id FROM app.rooms WHERE slug = 'town');
INSERT INTO app.spawn_points (room_id, slug, x, y, type, agent_id)
SELECT r.id, s.slug, s.x, s.y, s.type, CASE s.type WHEN 'agent' THEN (SELECT id FROM app.agents WHERE slug = 'herald') END
  FROM app.rooms r, (VALUES ('entrance', 10, 12, 'player'), ('agent', 10, 4, 'agent')) AS s(slug, x, y, type)
 WHERE r.slug = 'room-herald';
INSERT INTO app.agent_prompts (agent_id, version, system_prompt, is_active)
SELECT id, 1, 'You are the Herald.', true FROM app.agents WHERE slug = 'herald';
DELETE FROM app.rooms WHERE slug = 'annex';

SELECT is_empty($$
  SELECT a.slug FROM app.agents a
   WHERE (SELECT count(*) FROM app.buildings b WHERE b.agent_id = a.id AND b.type = 'agent_room') <> 1
      OR (SELECT count(*) FROM app.agent_prompts p WHERE p.agent_id = a.id AND p.is_active) <> 1
      OR NOT EXISTS (SELECT FROM app.spawn_points s JOIN app.buildings b ON b.target_room_id = s.room_id
                      WHERE b.agent_id = a.id AND s.agent_id = a.id)$$,
  'an agent added with rows only has its room, prompt and spawn point');
SELECT is_empty($$
  SELECT r.slug FROM app.rooms r
   WHERE NOT EXISTS (SELECT FROM app.spawn_points s WHERE s.room_id = r.id AND s.type = 'player')
      OR (NOT r.is_main AND NOT EXISTS (SELECT FROM app.buildings b WHERE b.target_room_id = r.id))$$,
  'a room added with rows only has a spawn point and a door leading to it');

\set seed_removed `rm -f "${TMPDIR:-/tmp}/ark-05-seed-$PPID.sql" && echo yes`
SELECT * FROM finish();
ROLLBACK;
