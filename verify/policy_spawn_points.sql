-- Verify arkagentic:policy_spawn_points on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.spawn_points') = 2,
    'app.spawn_points must have exactly 2 policies';
END
$$;

ROLLBACK;
