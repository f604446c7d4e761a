-- Verify arkagentic:policy_users on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.users' AND policyname = 'users_own_read'),
    'policy users_own_read on app.users is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.users' AND policyname = 'users_own_update'),
    'policy users_own_update on app.users is missing';
END
$$;

ROLLBACK;
