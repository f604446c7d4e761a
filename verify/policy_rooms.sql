-- Verify arkagentic:policy_rooms on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.rooms' AND policyname = 'rooms_read'),
    'policy rooms_read on app.rooms is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.rooms' AND policyname = 'rooms_admin_write'),
    'policy rooms_admin_write on app.rooms is missing';
END
$$;

ROLLBACK;
