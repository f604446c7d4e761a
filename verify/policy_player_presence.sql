-- Verify arkagentic:policy_player_presence on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.player_presence') = 1,
    'app.player_presence must have exactly 1 policies';
END
$$;

ROLLBACK;
