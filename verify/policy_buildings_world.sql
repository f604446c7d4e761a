-- Verify arkagentic:policy_buildings_world on pg

BEGIN;

DO $$
BEGIN
  IF (SELECT count(*) FROM pg_policies WHERE schemaname = 'app' AND tablename = 'buildings'
        AND (policyname LIKE 'buildings\_world\_%' OR policyname LIKE 'buildings\_admin\_%')) <> 8 THEN
    RAISE EXCEPTION 'the world policies of app.buildings are missing';
  END IF;
  IF NOT has_function_privilege('player', 'app.assert_inside_room(uuid, integer, integer, text)', 'EXECUTE') THEN
    RAISE EXCEPTION 'player cannot run the bounds check of the buildings and spawn points they write';
  END IF;
  IF EXISTS (SELECT FROM pg_policies WHERE schemaname = 'app' AND tablename = 'buildings' AND policyname = 'buildings_read') THEN
    RAISE EXCEPTION 'app.buildings still has its world-blind read policy';
  END IF;
END
$$;

ROLLBACK;
