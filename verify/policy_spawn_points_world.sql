-- Verify arkagentic:policy_spawn_points_world on pg

BEGIN;

DO $$
BEGIN
  IF (SELECT count(*) FROM pg_policies WHERE schemaname = 'app' AND tablename = 'spawn_points'
        AND (policyname LIKE 'spawn_points\_world\_%' OR policyname LIKE 'spawn_points\_admin\_%')) <> 8 THEN
    RAISE EXCEPTION 'the world policies of app.spawn_points are missing';
  END IF;
  IF EXISTS (SELECT FROM pg_policies WHERE schemaname = 'app' AND tablename = 'spawn_points' AND policyname = 'spawn_points_read') THEN
    RAISE EXCEPTION 'app.spawn_points still has its world-blind read policy';
  END IF;
END
$$;

ROLLBACK;
