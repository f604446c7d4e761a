-- Verify arkagentic:view_api_maps on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

SELECT name, image, tile_width, tile_height, columns, tilecount, image_width, image_height FROM api.tilesets WHERE false;
SELECT room_id, world_slug, room_slug, version, map FROM api.room_maps WHERE false;
SELECT room_id, version, name, published_by, publisher_role, published_at, restored_from, summary FROM api.map_versions WHERE false;

ROLLBACK;
