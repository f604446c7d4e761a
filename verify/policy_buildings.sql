-- Verify arkagentic:policy_buildings on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.buildings') = 2,
    'app.buildings must have exactly 2 policies';
END
$$;

ROLLBACK;
