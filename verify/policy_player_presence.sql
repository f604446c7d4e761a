-- Verify arkagentic:policy_player_presence on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.player_presence' AND policyname = 'player_presence_own_read'),
    'policy player_presence_own_read on app.player_presence is missing';
END
$$;

ROLLBACK;
