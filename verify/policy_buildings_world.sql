-- Verify arkagentic:policy_buildings_world on pg

BEGIN;

DO $$
BEGIN
  IF (SELECT count(*) FROM pg_policies WHERE schemaname = 'app' AND tablename = 'buildings'
        AND policyname IN ('buildings_world_read', 'buildings_world_edit', 'buildings_admin_read', 'buildings_admin_write')) <> 4 THEN
    RAISE EXCEPTION 'the world policies of app.buildings are missing';
  END IF;
  IF EXISTS (SELECT FROM pg_policies WHERE schemaname = 'app' AND tablename = 'buildings' AND policyname = 'buildings_read') THEN
    RAISE EXCEPTION 'app.buildings still has its world-blind read policy';
  END IF;
END
$$;

ROLLBACK;
