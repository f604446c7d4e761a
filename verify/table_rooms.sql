-- Verify arkagentic:table_rooms on pg

BEGIN;

SELECT id, slug, name, tilemap_key, width_tiles, height_tiles, default_spawn_x, default_spawn_y, is_main, max_speed, proximity_radius FROM app.rooms WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.rooms'::regclass),
    'row-level security must be enabled and forced on app.rooms';
END
$$;

ROLLBACK;
