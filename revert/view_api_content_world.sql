-- Revert arkagentic:view_api_content_world from pg
-- Views cannot lose columns through CREATE OR REPLACE: they are created again as view_api_content had them.

BEGIN;

REVOKE INSERT, UPDATE, DELETE ON api.rooms, api.buildings, api.spawn_points FROM player;
DROP VIEW api.rooms, api.buildings, api.spawn_points;
CREATE VIEW api.rooms WITH (security_invoker = true) AS
  SELECT id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main,
         max_speed, proximity_radius
    FROM app.rooms;
COMMENT ON VIEW api.rooms IS 'Rooms (tile maps). The main room, is_main, is where players start.';
COMMENT ON COLUMN api.rooms.id IS 'Room id.';
COMMENT ON COLUMN api.rooms.slug IS 'URL-safe unique name, e.g. town.';
COMMENT ON COLUMN api.rooms.name IS 'Display name.';
COMMENT ON COLUMN api.rooms.tilemap_key IS 'Tilemap JSON the client loads.';
COMMENT ON COLUMN api.rooms.width_tiles IS 'Width in tiles.';
COMMENT ON COLUMN api.rooms.height_tiles IS 'Height in tiles.';
COMMENT ON COLUMN api.rooms.default_spawn_x IS 'Tile x where players appear by default.';
COMMENT ON COLUMN api.rooms.default_spawn_y IS 'Tile y where players appear by default.';
COMMENT ON COLUMN api.rooms.is_main IS 'True for the starting room; at most one.';
COMMENT ON COLUMN api.rooms.max_speed IS 'Fastest allowed movement, tiles per second.';
COMMENT ON COLUMN api.rooms.proximity_radius IS 'Proximity chat range, in tiles.';
GRANT SELECT ON api.rooms TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON api.rooms TO content_admin;
CREATE VIEW api.buildings WITH (security_invoker = true) AS
  SELECT id, room_id, slug, name, type, x, y, width, height, door_x, door_y, agent_id, target_room_id, jitsi_room
    FROM app.buildings;
COMMENT ON VIEW api.buildings IS 'Interactive zones: agent rooms, meeting spots and portals, with their doors.';
COMMENT ON COLUMN api.buildings.id IS 'Building id.';
COMMENT ON COLUMN api.buildings.room_id IS 'The room the building stands in.';
COMMENT ON COLUMN api.buildings.slug IS 'URL-safe name, unique within the room.';
COMMENT ON COLUMN api.buildings.name IS 'Display name, e.g. Scout''s Lab.';
COMMENT ON COLUMN api.buildings.type IS 'agent_room, meeting or portal.';
COMMENT ON COLUMN api.buildings.x IS 'Left tile.';
COMMENT ON COLUMN api.buildings.y IS 'Top tile.';
COMMENT ON COLUMN api.buildings.width IS 'Width in tiles.';
COMMENT ON COLUMN api.buildings.height IS 'Height in tiles.';
COMMENT ON COLUMN api.buildings.door_x IS 'Door tile x.';
COMMENT ON COLUMN api.buildings.door_y IS 'Door tile y.';
COMMENT ON COLUMN api.buildings.agent_id IS 'The agent, for an agent_room.';
COMMENT ON COLUMN api.buildings.target_room_id IS 'Where the door leads: required for a portal, the agent''s room for an agent_room.';
COMMENT ON COLUMN api.buildings.jitsi_room IS 'Jitsi room name, for a meeting.';
GRANT SELECT ON api.buildings TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON api.buildings TO content_admin;

CREATE VIEW api.spawn_points WITH (security_invoker = true) AS
  SELECT id, room_id, slug, x, y, type, agent_id, direction
    FROM app.spawn_points;
COMMENT ON VIEW api.spawn_points IS 'Where players and agents appear in each room.';
COMMENT ON COLUMN api.spawn_points.id IS 'Spawn point id.';
COMMENT ON COLUMN api.spawn_points.room_id IS 'The room.';
COMMENT ON COLUMN api.spawn_points.slug IS 'URL-safe name, unique within the room.';
COMMENT ON COLUMN api.spawn_points.x IS 'Tile x.';
COMMENT ON COLUMN api.spawn_points.y IS 'Tile y.';
COMMENT ON COLUMN api.spawn_points.type IS 'player or agent.';
COMMENT ON COLUMN api.spawn_points.agent_id IS 'The agent, exactly when type is agent.';
COMMENT ON COLUMN api.spawn_points.direction IS 'Initial facing: up, down, left or right.';
GRANT SELECT ON api.spawn_points TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON api.spawn_points TO content_admin;

COMMIT;
