-- Verify arkagentic:table_maps on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

SELECT name, image, tile_width, tile_height, columns, tilecount, image_width, image_height FROM app.tilesets WHERE false;
SELECT room_id, world_id, version, name, map, summary, width, height, collision, published_by, publisher_role,
       published_at, restored_from
  FROM app.map_versions WHERE false;
SELECT map_version FROM app.rooms WHERE false;
SELECT derived FROM app.buildings WHERE false;
SELECT derived FROM app.spawn_points WHERE false;
DO $$
BEGIN
  IF NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_catalog.pg_class WHERE oid = 'app.map_versions'::regclass)
     OR NOT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_catalog.pg_class WHERE oid = 'app.tilesets'::regclass) THEN
    RAISE EXCEPTION 'row-level security must be enabled and forced on app.map_versions and app.tilesets';
  END IF;
END
$$;

ROLLBACK;
