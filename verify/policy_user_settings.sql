-- Verify arkagentic:policy_user_settings on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.user_settings') = 2,
    'app.user_settings must have exactly 2 policies';
END
$$;

ROLLBACK;
