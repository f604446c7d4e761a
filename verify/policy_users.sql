-- Verify arkagentic:policy_users on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.users') = 2,
    'app.users must have exactly 2 policies';
END
$$;

ROLLBACK;
