-- Data rules (issue section 3): bad data is impossible, whoever writes it. Each rule is checked with
-- the exact SQLSTATE and message: 23514 check, 23505 unique, 23503 foreign key, 22023 validators.
BEGIN;
\ir helpers.psql

SELECT plan(143);

-- as the owner: a 10 x 8 room with a building, a spawn point and a player in it --------------------
INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
VALUES ('lab', 'Lab', 'lab', 10, 8, 1, 1), ('closet', 'Closet', 'closet', 3, 3, 1, 1);
SELECT tests.create_user('Alice');
SELECT tests.create_user('Bob');
CREATE FUNCTION tests.room(slug text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM app.rooms r WHERE r.slug = room.slug $$;
CREATE FUNCTION tests.agent(slug text) RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT id FROM app.agents a WHERE a.slug = agent.slug $$;
GRANT EXECUTE ON FUNCTION tests.room(text), tests.agent(text) TO player, content_admin;

-- Directions and statuses -----------------------------------------------------------------------

SELECT throws_ok($$INSERT INTO app.spawn_points (room_id, slug, x, y, type, direction) VALUES (tests.room('lab'), 's1', 1, 1, 'player', 'north')$$,
  '23514', 'value for domain app.direction violates check constraint "direction_known"',
  'a spawn point faces up, down, left or right');
SELECT throws_ok($$INSERT INTO app.player_presence (user_id, room_id, x, y, direction) VALUES (tests.id_of('Alice'), tests.room('lab'), 1, 1, 'Up')$$,
  '23514', 'value for domain app.direction violates check constraint "direction_known"',
  'a player faces up, down, left or right (lowercase)');
SELECT lives_ok($$INSERT INTO app.player_presence (user_id, room_id, x, y, direction, status) VALUES (tests.id_of('Alice'), tests.room('lab'), 9, 7, 'left', 'away')$$,
  'a player may stand in the last tile of a room, facing left, away');
SELECT throws_ok($$UPDATE app.player_presence SET status = 'invisible' WHERE user_id = tests.id_of('Alice')$$,
  '23514', 'value for domain app.presence_status violates check constraint "presence_status_known"',
  'status is online, away, busy or offline');
SELECT throws_ok($$UPDATE app.player_presence SET status = NULL WHERE user_id = tests.id_of('Alice')$$,
  '23502', 'null value in column "status" of relation "player_presence" violates not-null constraint',
  'status is required');

-- Settings --------------------------------------------------------------------------------------

SELECT throws_ok($$UPDATE app.user_settings SET volume = -1 WHERE user_id = tests.id_of('Alice')$$,
  '23514', 'new row for relation "user_settings" violates check constraint "user_settings_volume_range"',
  'volume is at least 0');
SELECT throws_ok($$UPDATE app.user_settings SET volume = 101 WHERE user_id = tests.id_of('Alice')$$,
  '23514', 'new row for relation "user_settings" violates check constraint "user_settings_volume_range"',
  'volume is at most 100');
SELECT lives_ok($$UPDATE app.user_settings SET volume = 0 WHERE user_id = tests.id_of('Alice')$$, 'volume 0 is allowed');
SELECT lives_ok($$UPDATE app.user_settings SET volume = 100 WHERE user_id = tests.id_of('Alice')$$, 'volume 100 is allowed');
SELECT throws_ok($$UPDATE app.user_settings SET theme = 'solarized' WHERE user_id = tests.id_of('Alice')$$,
  '23514', 'new row for relation "user_settings" violates check constraint "user_settings_theme_known"',
  'theme is dark or light');
SELECT lives_ok($$UPDATE app.user_settings SET theme = 'light' WHERE user_id = tests.id_of('Alice')$$, 'theme light is allowed');
SELECT throws_ok($$INSERT INTO app.user_settings (user_id) VALUES (gen_random_uuid())$$,
  '23503', 'insert or update on table "user_settings" violates foreign key constraint "user_settings_user_id_fkey"',
  'settings belong to an existing user');
SELECT throws_ok($$INSERT INTO app.user_settings (user_id) VALUES (tests.id_of('Alice'))$$,
  '23505', 'duplicate key value violates unique constraint "user_settings_pkey"',
  'a user has one row of settings');

-- Buildings -------------------------------------------------------------------------------------

SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y)
                   VALUES (tests.room('lab'), 'b1', 'B', 'castle', 1, 1, 2, 2, 1, 2)$$,
  '23514', 'new row for relation "buildings" violates check constraint "buildings_type_known"',
  'a building''s type is agent_room, meeting or portal');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
                   VALUES (tests.room('lab'), 'b1', 'B', 'agent_room', 1, 1, 2, 2, 1, 2, tests.room('town'))$$,
  '23514', 'new row for relation "buildings" violates check constraint "buildings_type_needs_target"',
  'an agent_room needs agent_id');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id)
                   VALUES (tests.room('lab'), 'b1', 'B', 'portal', 1, 1, 2, 2, 1, 2, tests.agent('scout'))$$,
  '23514', 'new row for relation "buildings" violates check constraint "buildings_type_needs_target"',
  'a portal needs target_room_id');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
                   VALUES (tests.room('lab'), 'b1', 'B', 'meeting', 1, 1, 2, 2, 1, 2, tests.room('town'))$$,
  '23514', 'new row for relation "buildings" violates check constraint "buildings_type_needs_target"',
  'a meeting needs jitsi_room');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                   VALUES (tests.room('lab'), 'b1', 'B', 'meeting', 1, 1, 2, 2, 1, 2, 'no spaces')$$,
  '23514', 'new row for relation "buildings" violates check constraint "buildings_jitsi_room_shape"',
  'a jitsi room name is URL-safe');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
                   VALUES (tests.room('lab'), 'b1', 'B', 'portal', 1, 1, 2, 2, 1, 2, tests.room('lab'))$$,
  '23514', 'new row for relation "buildings" violates check constraint "buildings_no_self_portal"',
  'a portal leads to another room');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id)
                   VALUES (tests.room('lab'), 'b1', 'B', 'agent_room', 1, 1, 2, 2, 1, 2, gen_random_uuid())$$,
  '23503', 'insert or update on table "buildings" violates foreign key constraint "buildings_agent_id_fkey"',
  'an agent_room''s agent exists');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
                   VALUES (tests.room('lab'), 'b1', 'B', 'portal', 1, 1, 2, 2, 1, 2, gen_random_uuid())$$,
  '23503', 'insert or update on table "buildings" violates foreign key constraint "buildings_target_room_id_fkey"',
  'a portal''s target room exists');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                   VALUES (tests.room('lab'), 'b1', 'B', 'meeting', 1, 1, 0, 2, 1, 2, 'lab-b1')$$,
  '23514', 'new row for relation "buildings" violates check constraint "buildings_width_positive"',
  'a building is at least one tile wide');
SELECT lives_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                  VALUES (tests.room('lab'), 'b1', 'Booth', 'meeting', 1, 1, 3, 2, 2, 2, 'lab-booth')$$,
  'a meeting with a jitsi room inside the room is accepted');
SELECT lives_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
                  VALUES (tests.room('lab'), 'to-town', 'To town', 'portal', 8, 6, 2, 2, 9, 7, tests.room('town'))$$,
  'a portal filling the room''s last corner is accepted');

-- Spawn points ----------------------------------------------------------------------------------

SELECT throws_ok($$INSERT INTO app.spawn_points (room_id, slug, x, y, type) VALUES (tests.room('lab'), 's1', 1, 1, 'npc')$$,
  '23514', 'new row for relation "spawn_points" violates check constraint "spawn_points_type_known"',
  'a spawn point''s type is player or agent');
SELECT throws_ok($$INSERT INTO app.spawn_points (room_id, slug, x, y, type) VALUES (tests.room('lab'), 's1', 1, 1, 'agent')$$,
  '23514', 'new row for relation "spawn_points" violates check constraint "spawn_points_agent_iff_agent_type"',
  'an agent spawn point names its agent');
SELECT throws_ok($$INSERT INTO app.spawn_points (room_id, slug, x, y, type, agent_id) VALUES (tests.room('lab'), 's1', 1, 1, 'player', tests.agent('scout'))$$,
  '23514', 'new row for relation "spawn_points" violates check constraint "spawn_points_agent_iff_agent_type"',
  'a player spawn point names no agent');
SELECT lives_ok($$INSERT INTO app.spawn_points (room_id, slug, x, y, type, agent_id) VALUES (tests.room('lab'), 'desk', 5, 3, 'agent', tests.agent('scout'))$$,
  'an agent spawn point with its agent is accepted');
SELECT lives_ok($$INSERT INTO app.spawn_points (room_id, slug, x, y, type) VALUES (tests.room('lab'), 'entrance', 0, 0, 'player')$$,
  'a player spawn point in the first tile is accepted');

-- Positions inside the room (10 x 8: x in 0..9, y in 0..7) ----------------------------------------

SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                   VALUES (tests.room('lab'), 'b2', 'B', 'meeting', 10, 1, 1, 1, 9, 1, 'lab-b2')$$,
  '23514', 'building corner (10, 1) lies outside its room',
  'a building''s top-left corner lies inside the room');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                   VALUES (tests.room('lab'), 'b2', 'B', 'meeting', 7, 5, 4, 2, 8, 6, 'lab-b2')$$,
  '23514', 'building corner (10, 6) lies outside its room',
  'a building''s bottom-right corner lies inside the room (x + width <= width_tiles)');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                   VALUES (tests.room('lab'), 'b2', 'B', 'meeting', 5, 6, 2, 3, 6, 7, 'lab-b2')$$,
  '23514', 'building corner (6, 8) lies outside its room',
  'a building''s bottom edge lies inside the room (y + height <= height_tiles)');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                   VALUES (tests.room('lab'), 'b2', 'B', 'meeting', 5, 5, 2, 2, 6, 8, 'lab-b2')$$,
  '23514', 'door (6, 8) lies outside its room',
  'a building''s door lies inside the room');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                   VALUES (tests.room('lab'), 'b2', 'B', 'meeting', 5, 5, 2, 2, -1, 6, 'lab-b2')$$,
  '23514', 'door (-1, 6) lies outside its room',
  'a building''s door has no negative coordinate');
SELECT throws_ok($$UPDATE app.buildings SET x = 8 WHERE room_id = tests.room('lab') AND slug = 'b1'$$,
  '23514', 'building corner (10, 2) lies outside its room',
  'moving a building out of its room is refused');
SELECT throws_ok($$UPDATE app.buildings SET room_id = tests.room('lab') WHERE slug = 'chronicler-desk'$$,
  '23514', 'building corner (31, 3) lies outside its room',
  'moving a building into a room too small for it is refused');
SELECT throws_ok($$INSERT INTO app.spawn_points (room_id, slug, x, y, type) VALUES (tests.room('lab'), 's2', 0, 8, 'player')$$,
  '23514', 'spawn_points position (0, 8) lies outside its room',
  'a spawn point lies inside the room (y)');
SELECT throws_ok($$INSERT INTO app.spawn_points (room_id, slug, x, y, type) VALUES (tests.room('lab'), 's2', -1, 0, 'player')$$,
  '23514', 'spawn_points position (-1, 0) lies outside its room',
  'a spawn point has no negative coordinate');
SELECT throws_ok($$UPDATE app.spawn_points SET x = 10 WHERE room_id = tests.room('lab') AND slug = 'entrance'$$,
  '23514', 'spawn_points position (10, 0) lies outside its room',
  'moving a spawn point out of its room is refused');
SELECT throws_ok($$UPDATE app.player_presence SET x = 10 WHERE user_id = tests.id_of('Alice')$$,
  '23514', 'player_presence position (10, 7) lies outside its room',
  'a player cannot walk out of the room');
SELECT throws_ok($$INSERT INTO app.player_presence (user_id, room_id, x, y) VALUES (tests.id_of('Bob'), tests.room('lab'), 3, 8)$$,
  '23514', 'player_presence position (3, 8) lies outside its room',
  'a player cannot appear outside the room');
SELECT throws_ok($$UPDATE app.player_presence SET room_id = tests.room('closet') WHERE user_id = tests.id_of('Alice')$$,
  '23514', 'player_presence position (9, 7) lies outside its room',
  'a player cannot change to a room where their tile does not exist');
SELECT throws_ok($$UPDATE app.rooms SET default_spawn_x = 10 WHERE slug = 'lab'$$,
  '23514', 'new row for relation "rooms" violates check constraint "rooms_default_spawn_inside"',
  'a room''s default spawn lies inside it');
SELECT throws_ok($$INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                   VALUES ('vast', 'Vast', 'vast', 1001, 5, 0, 0)$$,
  '23514', 'new row for relation "rooms" violates check constraint "rooms_width_range"',
  'a room is at most 1000 tiles wide');

-- Shrinking a room under what is in it
SELECT throws_ok($$UPDATE app.rooms SET width_tiles = 9 WHERE slug = 'lab'$$,
  '23514', 'room lab cannot shrink to 9 x 8: something would lie outside it',
  'a room cannot shrink under its buildings, spawn points or players');
DELETE FROM app.buildings WHERE room_id = tests.room('lab') AND slug = 'to-town';
SELECT throws_ok($$UPDATE app.rooms SET height_tiles = 7 WHERE slug = 'lab'$$,
  '23514', 'room lab cannot shrink to 10 x 7: something would lie outside it',
  'a room cannot shrink under a player standing at its edge');
UPDATE app.player_presence SET x = 2, y = 2 WHERE user_id = tests.id_of('Alice');
SELECT lives_ok($$UPDATE app.rooms SET width_tiles = 9, height_tiles = 7 WHERE slug = 'lab'$$,
  'a room shrinks when everything still fits');
SELECT throws_ok($$UPDATE app.rooms SET width_tiles = 5 WHERE slug = 'lab'$$,
  '23514', 'room lab cannot shrink to 5 x 7: something would lie outside it',
  'a room cannot shrink under an agent spawn point');

-- as content_admin: the same rule holds for the role that edits rooms, which cannot see presence rows
UPDATE app.spawn_points SET x = 1 WHERE room_id = tests.room('lab') AND slug = 'desk';
UPDATE app.player_presence SET x = 6 WHERE user_id = tests.id_of('Alice');
SELECT tests.authenticate_service('content_admin');
SELECT throws_ok($$UPDATE api.rooms SET width_tiles = 6 WHERE slug = 'lab'$$,
  '23514', 'room lab cannot shrink to 6 x 7: something would lie outside it',
  'content_admin cannot shrink a room under a player it cannot see');
SELECT tests.as_owner();

-- Rooms -----------------------------------------------------------------------------------------

SELECT throws_ok($$INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
                   VALUES ('town-two', 'Town Two', 'town', 10, 10, 1, 1, true)$$,
  '23505', 'duplicate key value violates unique constraint "rooms_one_main_per_world"',
  'there is at most one main room in a world');
SELECT throws_ok($$UPDATE app.rooms SET is_main = true WHERE slug = 'lab'$$,
  '23505', 'duplicate key value violates unique constraint "rooms_one_main_per_world"',
  'a second room of the world cannot become its main room');
SELECT lives_ok($$UPDATE app.rooms SET is_main = (slug = 'lab') WHERE slug IN ('lab', 'town')$$,
  'the main room can move to another room in one statement');
SELECT throws_ok($$INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                   VALUES ('lab', 'Lab Two', 'lab', 10, 8, 1, 1)$$,
  '23505', 'duplicate key value violates unique constraint "rooms_world_slug_key"',
  'room slugs are unique within a world');
INSERT INTO app.worlds (slug, name) VALUES ('other-world', 'Other');
SELECT lives_ok($$INSERT INTO app.rooms (world_id, slug, name, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main)
                  SELECT id, 'lab', 'Their lab', 10, 8, 1, 1, true FROM app.worlds WHERE slug = 'other-world'$$,
  'another world may have a room of the same slug, and a main room of its own, with no tilemap yet');
SELECT throws_ok($$UPDATE app.rooms SET world_id = (SELECT id FROM app.worlds WHERE slug = 'other-world')
                    WHERE slug = 'town' AND world_id = (SELECT id FROM app.worlds WHERE slug = 'ark')$$,
  '23514', 'a room cannot move to another world', 'a room keeps its world');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, target_room_id)
                   SELECT t.id, 'far-portal', 'To elsewhere', 'portal', 1, 1, 1, 1, 1, 1, o.id
                     FROM app.rooms t, app.rooms o JOIN app.worlds w ON w.id = o.world_id AND w.slug = 'other-world'
                    WHERE t.slug = 'town' AND t.world_id = (SELECT id FROM app.worlds WHERE slug = 'ark')$$,
  '23503', NULL, 'a portal leads to a room of its own world only');
SELECT is((SELECT b.world_id = r.world_id FROM app.buildings b JOIN app.rooms r ON r.id = b.room_id LIMIT 1), true,
  'a building carries its room''s world');
SELECT throws_ok($$UPDATE app.world_settings SET max_worlds_per_owner = -1$$, '23514', NULL,
  'the number of worlds per owner is not negative');
SELECT throws_ok($$INSERT INTO app.worlds (slug, name, visibility) VALUES ('bad-vis', 'Bad', 'secret')$$, '23514', NULL,
  'a world is public, unlisted or private');
SELECT throws_ok($$INSERT INTO app.worlds (slug, name) VALUES ('Bad Slug', 'Bad')$$, '23514', NULL,
  'a world slug is URL-safe');
SELECT throws_ok(format($$INSERT INTO app.worlds (slug, name) VALUES ('bad-name', %L)$$, E'a\nb'), '23514', NULL,
  'a world name has no control characters');
SELECT throws_ok($$DELETE FROM app.rooms WHERE slug = 'room-scout'$$,
  '23503', 'update or delete on table "rooms" violates foreign key constraint "buildings_target_room_id_fkey" on table "buildings"',
  'a room that a door leads to cannot be deleted');

-- Slugs -----------------------------------------------------------------------------------------

SELECT throws_ok(format($$INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                          VALUES (%L, 'R', 'r', 5, 5, 1, 1)$$, s.slug),
  '23514', 'value for domain app.slug violates check constraint "slug_url_safe"',
  format('slug %s is refused (%s)', quote_literal(s.slug), s.why))
  FROM (VALUES ('Town', 'uppercase'), ('my room', 'space'), ('my_room', 'underscore'), ('-room', 'leading dash'),
               ('room-', 'trailing dash'), ('my--room', 'double dash'), ('', 'empty'), ('café', 'not ASCII'),
               ('a/b', 'slash'), (repeat('a', 65), '65 characters')) AS s(slug, why);
SELECT lives_ok($$INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
                  VALUES ('room-2-b', 'R', 'r', 5, 5, 1, 1)$$,
  'slug room-2-b (lowercase, digits, single dashes) is accepted');
SELECT throws_ok($$INSERT INTO app.agents (slug, name, role, emoji, sprite_key, greeting) VALUES ('scout', 'S', 'R', 'x', 'x', 'Hi')$$,
  '23505', 'duplicate key value violates unique constraint "agents_world_slug_key"',
  'agent slugs are unique');
SELECT throws_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                   VALUES (tests.room('lab'), 'b1', 'Booth', 'meeting', 4, 4, 1, 1, 4, 4, 'lab-booth-2')$$,
  '23505', 'duplicate key value violates unique constraint "buildings_slug_key"',
  'building slugs are unique within a room');
SELECT lives_ok($$INSERT INTO app.buildings (room_id, slug, name, type, x, y, width, height, door_x, door_y, jitsi_room)
                  VALUES (tests.room('room-sage'), 'b1', 'Booth', 'meeting', 1, 1, 1, 1, 1, 1, 'sage-booth')$$,
  'the same building slug may be used in another room');
SELECT throws_ok($$INSERT INTO app.spawn_points (room_id, slug, x, y, type) VALUES (tests.room('lab'), 'entrance', 2, 2, 'player')$$,
  '23505', 'duplicate key value violates unique constraint "spawn_points_slug_key"',
  'spawn point slugs are unique within a room');

-- Display names ---------------------------------------------------------------------------------

-- The table CHECK is the last line: it refuses what the trigger would have trimmed or reported, even
-- with the trigger out of the way (it runs after BEFORE triggers, so normally the trigger answers first).
ALTER TABLE app.users DISABLE TRIGGER users_validate;
SELECT throws_ok(format($$INSERT INTO app.users (display_name, avatar_sprite) VALUES (%L, 'brendan')$$, n.name),
  '23514', 'new row for relation "users" violates check constraint "users_display_name_shape"',
  format('display name %s is refused by the table check (%s)', n.shown, n.why))
  FROM (VALUES ('', '''''', 'empty'), (repeat('x', 33), '33 x', '33 characters'), (' Ada', ''' Ada''', 'leading space'),
               ('Ada ', '''Ada ''', 'trailing space'), (E'Ada\tLovelace', 'Ada<TAB>Lovelace', 'control character'),
               (E'Ada\nLovelace', 'Ada<LF>Lovelace', 'newline')) AS n(name, shown, why);
ALTER TABLE app.users ENABLE TRIGGER users_validate;
SELECT lives_ok(format($$INSERT INTO app.users (display_name, avatar_sprite) VALUES (%L, 'brendan')$$, repeat('ü', 32)),
  'a display name of 32 characters (not bytes) is accepted');

-- The validator that api functions and the users trigger share answers 22023 in words.
SELECT is(app.check_display_name(E'  Ada Lovelace \t\n'), 'Ada Lovelace', 'app.check_display_name trims the name');
SELECT is(app.check_display_name(repeat('x', 32)), repeat('x', 32), 'app.check_display_name accepts 32 characters');
SELECT throws_ok($$SELECT app.check_display_name('')$$, '22023', 'display_name must not be empty',
  'app.check_display_name refuses an empty name');
SELECT throws_ok($$SELECT app.check_display_name(E' \t ')$$, '22023', 'display_name must not be empty',
  'app.check_display_name refuses a blank name');
SELECT throws_ok($$SELECT app.check_display_name(NULL)$$, '22023', 'display_name must not be empty',
  'app.check_display_name refuses NULL');
SELECT throws_ok($$SELECT app.check_display_name(repeat('x', 33))$$, '22023', 'display_name is 33 characters long; the limit is 32',
  'app.check_display_name refuses 33 characters');
SELECT throws_ok($$SELECT app.check_display_name(E'Ada\u0007Lovelace')$$, '22023', 'display_name must not contain control characters',
  'app.check_display_name refuses control characters');
SELECT throws_ok($$SELECT app.check_avatar_sprite('pikachu')$$, '22023', 'unknown avatar_sprite',
  'app.check_avatar_sprite refuses an unknown sprite');
SELECT throws_ok($$INSERT INTO app.users (display_name, avatar_sprite) VALUES ('Ada', 'pikachu')$$, '22023',
  'unknown avatar_sprite', 'a user''s sprite is one of app.avatar_sprites');

-- as a player: PATCH /me goes through the same trigger and gets the same readable answers
SELECT tests.authenticate_as(tests.id_of('Alice'));
SELECT throws_ok($$UPDATE api.me SET avatar_sprite = 'pikachu'$$, '22023', 'unknown avatar_sprite',
  'PATCH /me with an unknown sprite answers 22023');
SELECT throws_ok($$UPDATE api.me SET display_name = ''$$, '22023', 'display_name must not be empty',
  'PATCH /me with an empty display_name answers 22023 in words, like /rpc/login_anonymous');
SELECT lives_ok($$UPDATE api.me SET display_name = '  Alice Liddell  '$$,
  'PATCH /me with a padded display_name is accepted, like /rpc/login_anonymous');
SELECT results_eq('SELECT display_name::text FROM api.me', ARRAY['Alice Liddell'],
  'PATCH /me trims the display_name');
SELECT tests.as_owner();

-- Emails ----------------------------------------------------------------------------------------

SELECT throws_ok($$UPDATE app.users SET email = 'ada@example.org' WHERE id = tests.id_of('Bob')$$,
  '23514', 'new row for relation "users" violates check constraint "users_anonymous_without_email"',
  'an account has an email exactly when it is registered');
SELECT throws_ok($$UPDATE app.users SET is_anonymous = false WHERE id = tests.id_of('Bob')$$,
  '23514', 'new row for relation "users" violates check constraint "users_anonymous_without_email"',
  'a registered account has an email');
SELECT throws_ok($$UPDATE app.users SET email = 'Ada@Example.org', is_anonymous = false WHERE id = tests.id_of('Bob')$$,
  '23514', 'new row for relation "users" violates check constraint "users_email_shape"',
  'emails are stored lowercase');
SELECT throws_ok($$UPDATE app.users SET email = 'ada@localhost', is_anonymous = false WHERE id = tests.id_of('Bob')$$,
  '23514', 'new row for relation "users" violates check constraint "users_email_shape"',
  'an email has a dotted domain');
UPDATE app.users SET email = 'ada@example.org', is_anonymous = false WHERE id = tests.id_of('Bob');
SELECT throws_ok($$UPDATE app.users SET email = 'ada@example.org', is_anonymous = false WHERE id = tests.id_of('Alice')$$,
  '23505', 'duplicate key value violates unique constraint "users_email_key"',
  'an email belongs to one account');

-- Agent prompts ---------------------------------------------------------------------------------

SELECT throws_ok($$INSERT INTO app.agent_prompts (agent_id, version, system_prompt) VALUES (tests.agent('scout'), 1, 'Again.')$$,
  '23514', 'prompt version 1 is not newer than the latest version of this agent',
  'a prompt version cannot repeat');
SELECT lives_ok($$INSERT INTO app.agent_prompts (agent_id, version, system_prompt) VALUES (tests.agent('scout'), 3, 'Draft three.')$$,
  'a newer prompt version is accepted (versions may skip)');
SELECT throws_ok($$INSERT INTO app.agent_prompts (agent_id, version, system_prompt) VALUES (tests.agent('scout'), 2, 'Late two.')$$,
  '23514', 'prompt version 2 is not newer than the latest version of this agent',
  'prompt versions only increase');
SELECT throws_ok($$INSERT INTO app.agent_prompts (agent_id, version, system_prompt, is_active) VALUES (tests.agent('scout'), 4, 'Four.', true)$$,
  '23505', 'duplicate key value violates unique constraint "agent_prompts_one_active"',
  'an agent has at most one active prompt');
SELECT throws_ok($$UPDATE app.agent_prompts SET is_active = true WHERE agent_id = tests.agent('scout') AND version = 3$$,
  '23505', 'duplicate key value violates unique constraint "agent_prompts_one_active"',
  'activating a second prompt is refused');
SELECT throws_ok($$UPDATE app.agent_prompts SET system_prompt = 'Rewritten.' WHERE agent_id = tests.agent('scout') AND version = 1$$,
  '23514', 'a published prompt version cannot be changed',
  'a published prompt''s text cannot change');
SELECT throws_ok($$UPDATE app.agent_prompts SET version = 7 WHERE agent_id = tests.agent('scout') AND version = 3$$,
  '23514', 'a published prompt version cannot be changed',
  'a published prompt''s version cannot change');
SELECT throws_ok($$UPDATE app.agent_prompts SET agent_id = tests.agent('sage') WHERE agent_id = tests.agent('scout') AND version = 3$$,
  '23514', 'a published prompt version cannot be changed',
  'a published prompt cannot move to another agent');
SELECT lives_ok($$UPDATE app.agent_prompts SET is_active = (version = 3) WHERE agent_id = tests.agent('scout')$$,
  'is_active may change, one active version at a time');
SELECT throws_ok($$INSERT INTO app.agent_prompts (agent_id, version, system_prompt) VALUES (tests.agent('scout'), 8, '   ')$$,
  '23514', 'new row for relation "agent_prompts" violates check constraint "agent_prompts_length"',
  'a prompt is not blank');
SELECT throws_ok($$INSERT INTO app.agent_prompts (agent_id, version, system_prompt) VALUES (tests.agent('scout'), 0, 'Zero.')$$,
  '23514', 'prompt version 0 is not newer than the latest version of this agent',
  'versions start at 1');

-- as content_admin: the guard holds for the role that may write prompts
SELECT tests.authenticate_service('content_admin');
SELECT throws_ok($$UPDATE app.agent_prompts SET is_active = true WHERE agent_id = tests.agent('scout') AND version = 1$$,
  '23505', 'duplicate key value violates unique constraint "agent_prompts_one_active"',
  'content_admin cannot make a second version active');
SELECT throws_ok($$INSERT INTO app.agent_prompts (agent_id, version, system_prompt) VALUES (tests.agent('scout'), 2, 'Sneaky.')$$,
  '23514', 'prompt version 2 is not newer than the latest version of this agent',
  'content_admin cannot insert an older version');
SELECT throws_ok($$UPDATE app.agent_prompts SET system_prompt = 'Sneaky.' WHERE agent_id = tests.agent('scout')$$,
  '42501', 'permission denied for table agent_prompts',
  'content_admin may not rewrite a prompt''s text (no column grant)');
SELECT tests.as_owner();

-- Chat messages ---------------------------------------------------------------------------------

INSERT INTO app.chat_sessions (id, type, user_id, agent_id)
VALUES ('00000000-0000-4000-8000-00000000c4a7', 'agent', tests.id_of('Alice'), tests.agent('scout'));

SELECT throws_ok(format($$INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
                          VALUES ('00000000-0000-4000-8000-00000000c4a7', %L, gen_random_uuid(), 'Someone', %L)$$, m.sender, m.content),
  '23514', 'new row for relation "chat_messages" violates check constraint "chat_messages_content_length"',
  format('a message from %s is refused: %s', m.sender, m.why))
  FROM (VALUES ('user', '', 'empty'), ('user', E' \n\t ', 'blank'), ('user', repeat('x', 4001), '4001 characters'),
               ('agent', repeat('x', 32001), '32001 characters'), ('user', E'ding\u0007', 'a bell character'),
               ('user', E'a\tb', 'a tab'), ('user', E'a\rb', 'a carriage return'), ('agent', E'a\u001bb', 'an escape character'),
               ('user', E'a\u007fb', 'a delete character')) AS m(sender, content, why);
SELECT lives_ok(format($$INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
                         VALUES ('00000000-0000-4000-8000-00000000c4a7', 'user', gen_random_uuid(), 'Alice', %L)$$, repeat('ü', 4000)),
  'a user''s message of 4000 characters (not bytes) is accepted');
SELECT lives_ok(format($$INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
                         VALUES ('00000000-0000-4000-8000-00000000c4a7', 'agent', gen_random_uuid(), 'Scout', %L)$$, repeat('x', 32000)),
  'an agent''s message of 32000 characters is accepted');
SELECT lives_ok($$INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
                  VALUES ('00000000-0000-4000-8000-00000000c4a7', 'user', gen_random_uuid(), 'Alice', E'line one\nline two')$$,
  'a message may contain newlines');
SELECT throws_ok($$INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
                   VALUES ('00000000-0000-4000-8000-00000000c4a7', 'system', gen_random_uuid(), 'System', 'Hello')$$,
  '23514', 'new row for relation "chat_messages" violates check constraint "chat_messages_sender_known"',
  'a system message has no sender id, others have one');
SELECT throws_ok($$INSERT INTO app.chat_messages (session_id, sender_type, sender_id, sender_name, content)
                   VALUES (gen_random_uuid(), 'user', gen_random_uuid(), 'Alice', 'Hello')$$,
  '23503', 'insert or update on table "chat_messages" violates foreign key constraint "chat_messages_session_id_fkey"',
  'a message belongs to an existing session');

-- Chat sessions ---------------------------------------------------------------------------------

SELECT throws_ok($$INSERT INTO app.chat_sessions (type, user_id) VALUES ('agent', tests.id_of('Alice'))$$,
  '23514', 'new row for relation "chat_sessions" violates check constraint "chat_sessions_shape"',
  'an agent session names its agent');
SELECT throws_ok($$INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', tests.id_of('Alice'), tests.id_of('Alice'))$$,
  '23514', 'new row for relation "chat_sessions" violates check constraint "chat_sessions_shape"',
  'a private session is between two different players');
SELECT throws_ok($$INSERT INTO app.chat_sessions (type, user_id) VALUES ('proximity', tests.id_of('Alice'))$$,
  '23514', 'new row for relation "chat_sessions" violates check constraint "chat_sessions_shape"',
  'a proximity session names its room');
SELECT throws_ok($$INSERT INTO app.chat_sessions (type, user_id, agent_id) VALUES ('agent', tests.id_of('Alice'), tests.agent('scout'))$$,
  '23505', 'duplicate key value violates unique constraint "chat_sessions_agent_pair"',
  'one agent session per user and agent');
INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', tests.id_of('Alice'), tests.id_of('Bob'));
SELECT throws_ok($$INSERT INTO app.chat_sessions (type, user_id, other_user_id) VALUES ('private', tests.id_of('Bob'), tests.id_of('Alice'))$$,
  '23505', 'duplicate key value violates unique constraint "chat_sessions_private_pair"',
  'one private session per pair of players, whoever started it');

-- Foreign keys that protect content -------------------------------------------------------------

SELECT throws_ok($$DELETE FROM app.agents WHERE slug = 'scout'$$, 'PGRST',
  '{"code" : "PT409", "message" : "this agent has players'' chats or prompt history and cannot be deleted", "details" : "{\"agent\" : \"scout\"}", "hint" : "Deactivate it instead: PATCH /agents?slug=eq.<slug> with {\"is_active\": false} hides it from players."}',
  'an agent with prompt history cannot be deleted: 409, the slug in details');

-- Players' data is never deleted by a content delete (issue 9, section 2).
SELECT results_eq($$
  SELECT conname::text COLLATE "default", confdeltype::text COLLATE "default" FROM pg_constraint
   WHERE connamespace = 'app'::regnamespace
     AND conname IN ('chat_sessions_agent_id_fkey', 'chat_sessions_room_id_fkey', 'agent_prompts_agent_id_fkey',
                     'player_presence_room_id_fkey')
   ORDER BY 1$$,
  $$VALUES ('agent_prompts_agent_id_fkey', 'r'), ('chat_sessions_agent_id_fkey', 'r'), ('chat_sessions_room_id_fkey', 'r'),
           ('player_presence_room_id_fkey', 'r')$$,
  'the foreign keys from chats, prompts and presence to agents and rooms are ON DELETE RESTRICT');

INSERT INTO app.agents (slug, name, role, emoji, sprite_key, greeting)
VALUES ('chatty', 'Chatty', 'Talker', '💬', 'archie', 'Hi.');
INSERT INTO app.chat_sessions (type, user_id, agent_id)
SELECT 'agent', tests.id_of('Alice'), id FROM app.agents WHERE slug = 'chatty';
SELECT is(tests.error_of($$DELETE FROM app.agents WHERE slug = 'chatty'$$) ->> 'detail',
  '{"agent" : "chatty"}', 'an agent with a player''s chat cannot be deleted');
SELECT is((SELECT count(*) FROM app.chat_sessions s JOIN app.agents a ON a.id = s.agent_id WHERE a.slug = 'chatty'),
  1::bigint, 'and the chat is still there');
SELECT throws_ok($$ALTER TABLE app.agents DISABLE TRIGGER agents_keep_history;
                   DELETE FROM app.agents WHERE slug = 'chatty'$$,
  '23503', NULL, 'without the trigger the foreign key still refuses: the chat is not deleted by cascade');

INSERT INTO app.rooms (slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y)
VALUES ('nook', 'Nook', 'nook', 10, 10, 1, 1), ('hall', 'Hall', 'hall', 10, 10, 1, 1);
INSERT INTO app.chat_sessions (type, user_id, room_id)
SELECT 'proximity', tests.id_of('Alice'), id FROM app.rooms WHERE slug = 'nook';
SELECT is(tests.error_of($$DELETE FROM app.rooms WHERE slug = 'nook'$$) ->> 'message',
  'this room has players'' chat history and cannot be deleted', 'a room with proximity chat history cannot be deleted');
INSERT INTO app.player_presence (user_id, room_id, x, y)
SELECT tests.id_of('Bob'), id, 1, 1 FROM app.rooms WHERE slug = 'hall';
SELECT lives_ok($$DELETE FROM app.rooms WHERE slug = 'hall'$$, 'a room without chat history can be deleted, players inside or not');
SELECT is((SELECT count(*) FROM app.player_presence WHERE user_id = tests.id_of('Bob')), 0::bigint,
  'the presence rows of a deleted room go, after player_left');

SELECT * FROM finish();
ROLLBACK;
