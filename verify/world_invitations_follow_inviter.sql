-- Verify arkagentic:world_invitations_follow_inviter on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_trigger
                  WHERE tgrelid = 'app.world_members'::regclass AND tgname = 'world_members_invitations_follow'
                    AND tgfoid = 'app.world_invitations_follow_inviter()'::regprocedure) THEN
    RAISE EXCEPTION 'world_members_invitations_follow is missing';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc
                  WHERE oid = 'app.world_invitations_follow_inviter()'::regprocedure AND prosecdef
                    AND proconfig @> ARRAY['search_path=""']) THEN
    RAISE EXCEPTION 'app.world_invitations_follow_inviter must be SECURITY DEFINER with a pinned search_path';
  END IF;
END
$$;

ROLLBACK;
