-- Verify arkagentic:world_ban_owner_decision on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc
                  WHERE oid = 'api.ban(text, uuid, text, timestamptz)'::regprocedure AND prosecdef
                    AND proconfig @> ARRAY['search_path=""']
                    AND prosrc LIKE '%only the owner may change a ban the owner made%'
                    AND strpos(prosrc, '\u202a-\u202e\u2066-\u2069') > 0) THEN
    RAISE EXCEPTION 'api.ban must keep the owner''s bans from editors and refuse bidi controls in a reason';
  END IF;
END
$$;

ROLLBACK;
