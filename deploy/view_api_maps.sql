-- Deploy arkagentic:view_api_maps to pg
-- requires: policy_maps function_api_maps view_api_content
-- GET /tilesets (the registry, content_admin keeps it), GET /room_maps (the current map of each room the
-- caller sees, exactly as published: what Phaser's load.tilemapTiledJSON takes) and GET /map_versions (the
-- history, for the world's owners and editors). All three read under the caller's row-level security.

BEGIN;

CREATE VIEW api.tilesets WITH (security_invoker = true) AS
  SELECT name, image, tile_width, tile_height, columns, tilecount, image_width, image_height FROM app.tilesets;
COMMENT ON VIEW api.tilesets IS 'The tileset images this installation serves. A map''s embedded tileset must match one by image, tile size and columns.';
COMMENT ON COLUMN api.tilesets.name IS 'The tileset''s name, a slug (Tiled''s tileset name).';
COMMENT ON COLUMN api.tilesets.tile_width IS 'Tile width in pixels; a map''s tileset and tilewidth must match it.';
COMMENT ON COLUMN api.tilesets.tile_height IS 'Tile height in pixels; a map''s tileset and tileheight must match it.';
COMMENT ON COLUMN api.tilesets.columns IS 'Tiles per row of the image; a map''s tileset must say the same.';
COMMENT ON COLUMN api.tilesets.image_width IS 'The image''s width in pixels.';
COMMENT ON COLUMN api.tilesets.image_height IS 'The image''s height in pixels.';
COMMENT ON COLUMN api.tilesets.image IS 'The image path as maps write it, relative to the client''s assets.';
COMMENT ON COLUMN api.tilesets.tilecount IS 'Tiles in the image: a map''s gids stay within firstgid .. firstgid + tilecount - 1.';
GRANT SELECT ON api.tilesets TO web_anon, player, agent_service, content_admin;
GRANT INSERT, UPDATE, DELETE ON api.tilesets TO content_admin;

CREATE VIEW api.room_maps WITH (security_invoker = true) AS
  SELECT r.id AS room_id, w.slug AS world_slug, r.slug AS room_slug, m.version, m.map
    FROM app.rooms r
    JOIN app.worlds w ON w.id = r.world_id
    JOIN app.map_versions m ON m.room_id = r.id AND m.version = r.map_version;
COMMENT ON VIEW api.room_maps IS 'The current map of each room you may see, as published: a Tiled JSON map. Filter with ?world_slug=eq.ark&room_slug=eq.town.';
COMMENT ON COLUMN api.room_maps.room_id IS 'The room (GET /rooms).';
COMMENT ON COLUMN api.room_maps.world_slug IS 'The room''s world.';
COMMENT ON COLUMN api.room_maps.room_slug IS 'The room''s slug, unique in its world.';
COMMENT ON COLUMN api.room_maps.version IS 'The current version (GET /map_versions for the history).';
COMMENT ON COLUMN api.room_maps.map IS 'The Tiled JSON map, equal as JSON to what was published (key order may differ).';
GRANT SELECT ON api.room_maps TO web_anon, player, agent_service, content_admin;

CREATE VIEW api.map_versions WITH (security_invoker = true) AS
  SELECT m.room_id, m.version, m.name, m.published_by, m.publisher_role, m.published_at, m.restored_from, m.summary
    FROM app.map_versions m
   WHERE m.world_id = ANY ((SELECT app.map_editor_world_ids())::uuid[])
   ORDER BY m.room_id, m.version DESC;
COMMENT ON VIEW api.map_versions IS 'Every published version of the maps of the worlds you own or edit, newest first: ?room_id=eq.<room id>.';
COMMENT ON COLUMN api.map_versions.room_id IS 'The room (GET /rooms).';
COMMENT ON COLUMN api.map_versions.version IS 'Numbered from 1 per room, without gaps; the room''s current one is GET /rooms map_version.';
COMMENT ON COLUMN api.map_versions.name IS 'The room''s name this version gave it.';
COMMENT ON COLUMN api.map_versions.publisher_role IS 'player, content_admin or dba (psql as the database owner).';
COMMENT ON COLUMN api.map_versions.published_at IS 'When it was published.';
COMMENT ON COLUMN api.map_versions.summary IS '{width, height, tile_width, tile_height, layers, blocked_tiles, spawn_points, buildings}, as validate_map reports it.';
COMMENT ON COLUMN api.map_versions.published_by IS 'The player who published it (on a restore: who restored it); NULL when content_admin or a DBA did (publisher_role).';
COMMENT ON COLUMN api.map_versions.restored_from IS 'For a restore, the version it published again.';
GRANT SELECT ON api.map_versions TO player, content_admin;

COMMIT;
