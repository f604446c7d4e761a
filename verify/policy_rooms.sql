-- Verify arkagentic:policy_rooms on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.rooms') = 2,
    'app.rooms must have exactly 2 policies';
END
$$;

ROLLBACK;
