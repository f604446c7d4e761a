-- Verify arkagentic:policy_maps on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  PERFORM 'app.map_editor_world_ids()'::regprocedure;
  IF (SELECT count(*) FROM pg_catalog.pg_policies WHERE schemaname = 'app' AND tablename IN ('map_versions', 'tilesets')) <> 6 THEN
    RAISE EXCEPTION 'app.map_versions and app.tilesets must have their six policies';
  END IF;
END
$$;

ROLLBACK;
