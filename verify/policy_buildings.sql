-- Verify arkagentic:policy_buildings on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.buildings' AND policyname = 'buildings_read'),
    'policy buildings_read on app.buildings is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.buildings' AND policyname = 'buildings_admin_write'),
    'policy buildings_admin_write on app.buildings is missing';
END
$$;

ROLLBACK;
