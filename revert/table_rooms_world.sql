-- Revert arkagentic:table_rooms_world from pg
-- Rooms of other worlds than ark cannot be kept: slugs are unique across all rooms again.

BEGIN;

DROP TRIGGER spawn_points_world ON app.spawn_points;
DROP TRIGGER buildings_world ON app.buildings;
DROP TRIGGER rooms_world ON app.rooms;
DROP TRIGGER rooms_keep_main ON app.rooms;
-- Their presences and proximity chats go with them (both keep a room from being deleted).
CREATE TEMPORARY TABLE doomed_rooms ON COMMIT DROP AS
  SELECT r.id FROM app.rooms r JOIN app.worlds w ON w.id = r.world_id WHERE w.slug <> 'ark';
DELETE FROM app.player_presence WHERE room_id IN (SELECT id FROM doomed_rooms);
DELETE FROM app.chat_sessions WHERE room_id IN (SELECT id FROM doomed_rooms);
DELETE FROM app.buildings WHERE target_room_id IN (SELECT id FROM doomed_rooms);
DELETE FROM app.rooms WHERE id IN (SELECT id FROM doomed_rooms);
ALTER TABLE app.spawn_points DROP COLUMN world_id;
ALTER TABLE app.buildings DROP COLUMN world_id;
ALTER TABLE app.rooms DROP COLUMN main_of_world;
CREATE UNIQUE INDEX rooms_one_main ON app.rooms (is_main) WHERE is_main;
UPDATE app.rooms SET tilemap_key = slug WHERE tilemap_key IS NULL;
ALTER TABLE app.rooms
  ALTER COLUMN tilemap_key SET NOT NULL,
  DROP CONSTRAINT rooms_id_world_key,
  DROP CONSTRAINT rooms_world_slug_key,
  ADD CONSTRAINT rooms_slug_key UNIQUE (slug),
  DROP COLUMN world_id;
COMMENT ON COLUMN app.rooms.is_main IS NULL;
DROP FUNCTION app.room_contents_world();
DROP FUNCTION app.rooms_world();
DROP FUNCTION app.rooms_keep_main();

COMMIT;
