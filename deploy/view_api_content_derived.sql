-- Deploy arkagentic:view_api_content_derived to pg
-- requires: view_api_content_world table_maps
-- GET /rooms tells which map version a room has, and GET /buildings and /spawn_points which rows its map
-- made (derived: replaced on the next publish) and which an editor made by hand (kept).

BEGIN;

CREATE OR REPLACE VIEW api.rooms WITH (security_invoker = true) AS
  SELECT id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main,
         max_speed, proximity_radius, world_id, map_version
    FROM app.rooms;
COMMENT ON COLUMN api.rooms.map_version IS 'The current map version (GET /room_maps), NULL for a room without a map: no walls. Set by publish_map only.';

CREATE OR REPLACE VIEW api.buildings WITH (security_invoker = true) AS
  SELECT id, room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id, target_room_id, jitsi_room,
         world_id, derived
    FROM app.buildings;
COMMENT ON COLUMN api.buildings.derived IS 'Made by the room''s map: the next publish_map replaces it. false: made by hand, kept.';

CREATE OR REPLACE VIEW api.spawn_points WITH (security_invoker = true) AS
  SELECT id, room_id, slug, x, y, type, agent_id, direction, world_id, derived
    FROM app.spawn_points;
COMMENT ON COLUMN api.spawn_points.derived IS 'Made by the room''s map: the next publish_map replaces it. false: made by hand, kept.';

-- The map owns map_version and derived: writes through the views may not set them.
REVOKE INSERT, UPDATE ON api.rooms, api.buildings, api.spawn_points FROM player, content_admin;
GRANT INSERT (id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main,
              max_speed, proximity_radius, world_id),
      UPDATE (id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main,
              max_speed, proximity_radius, world_id)
  ON api.rooms TO player, content_admin;
GRANT INSERT (id, room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id, target_room_id, jitsi_room, world_id),
      UPDATE (id, room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id, target_room_id, jitsi_room, world_id)
  ON api.buildings TO player, content_admin;
GRANT INSERT (id, room_id, slug, x, y, type, agent_id, direction, world_id),
      UPDATE (id, room_id, slug, x, y, type, agent_id, direction, world_id)
  ON api.spawn_points TO player, content_admin;

COMMIT;
