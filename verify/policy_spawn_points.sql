-- Verify arkagentic:policy_spawn_points on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.spawn_points' AND policyname = 'spawn_points_read'),
    'policy spawn_points_read on app.spawn_points is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.spawn_points' AND policyname = 'spawn_points_admin_write'),
    'policy spawn_points_admin_write on app.spawn_points is missing';
END
$$;

ROLLBACK;
