-- Verify arkagentic:policy_agents on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.agents') = 2,
    'app.agents must have exactly 2 policies';
END
$$;

ROLLBACK;
