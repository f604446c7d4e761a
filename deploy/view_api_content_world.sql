-- Deploy arkagentic:view_api_content_world to pg
-- requires: view_api_content table_rooms_world policy_rooms_world policy_buildings_world policy_spawn_points_world
-- The content views show each row's world, and owners and editors write their world's rooms, buildings
-- and spawn points through them (issue 11): row-level security on app decides which rows.

BEGIN;

CREATE OR REPLACE VIEW api.rooms WITH (security_invoker = true) AS
  SELECT id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main,
         max_speed, proximity_radius, world_id
    FROM app.rooms;
COMMENT ON VIEW api.rooms IS
  'Rooms (tile maps) of the worlds you may see. Each world has one main room, is_main, where players start.';
COMMENT ON COLUMN api.rooms.slug IS 'URL-safe name, unique within its world, e.g. town.';
COMMENT ON COLUMN api.rooms.is_main IS 'True for its world''s starting room; at most one per world.';
COMMENT ON COLUMN api.rooms.tilemap_key IS 'Tilemap JSON the client loads; empty for a room without a map yet.';
COMMENT ON COLUMN api.rooms.world_id IS 'The world (GET /worlds); a room posted without one goes to the default world.';

CREATE OR REPLACE VIEW api.buildings WITH (security_invoker = true) AS
  SELECT id, room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id, target_room_id, jitsi_room,
         world_id
    FROM app.buildings;
COMMENT ON COLUMN api.buildings.world_id IS 'The room''s world, set from room_id; a portal leads to a room of the same world.';

CREATE OR REPLACE VIEW api.spawn_points WITH (security_invoker = true) AS
  SELECT id, room_id, slug, x, y, type, agent_id, direction, world_id
    FROM app.spawn_points;
COMMENT ON COLUMN api.spawn_points.world_id IS 'The room''s world, set from room_id.';

GRANT INSERT, UPDATE, DELETE ON api.rooms, api.buildings, api.spawn_points TO player;

COMMIT;
