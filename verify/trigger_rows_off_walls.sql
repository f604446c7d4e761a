-- Verify arkagentic:trigger_rows_off_walls on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  IF (SELECT count(*) FROM pg_catalog.pg_trigger
       WHERE tgname IN ('rooms_off_walls', 'buildings_off_walls', 'spawn_points_off_walls') AND NOT tgisinternal) <> 3 THEN
    RAISE EXCEPTION 'spawn points, doors and default spawns must be kept off walls';
  END IF;
END
$$;

ROLLBACK;
