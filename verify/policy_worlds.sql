-- Verify arkagentic:policy_worlds on pg

BEGIN;

DO $$
BEGIN
  IF (SELECT count(*) FROM pg_policies WHERE schemaname = 'app'
        AND tablename IN ('worlds', 'world_members', 'world_invitations', 'world_bans', 'world_visitors')) <> 10 THEN
    RAISE EXCEPTION 'the policies of the world tables are missing';
  END IF;
  IF has_column_privilege('player', 'app.world_invitations', 'token_hash', 'SELECT') THEN
    RAISE EXCEPTION 'player can read invitation token hashes';
  END IF;
END
$$;

ROLLBACK;
