-- Verify arkagentic:policy_spawn_points_world on pg

BEGIN;

DO $$
BEGIN
  IF (SELECT count(*) FROM pg_policies WHERE schemaname = 'app' AND tablename = 'spawn_points'
        AND policyname IN ('spawn_points_world_read', 'spawn_points_world_edit', 'spawn_points_admin_read', 'spawn_points_admin_write')) <> 4 THEN
    RAISE EXCEPTION 'the world policies of app.spawn_points are missing';
  END IF;
  IF EXISTS (SELECT FROM pg_policies WHERE schemaname = 'app' AND tablename = 'spawn_points' AND policyname = 'spawn_points_read') THEN
    RAISE EXCEPTION 'app.spawn_points still has its world-blind read policy';
  END IF;
END
$$;

ROLLBACK;
