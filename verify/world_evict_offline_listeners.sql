-- Verify arkagentic:world_evict_offline_listeners on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc
                  WHERE oid = 'app.world_evict(uuid, uuid, text, text)'::regprocedure AND prosecdef
                    AND proconfig @> ARRAY['search_path=""']
                    AND strpos(prosrc, 'Offline presences too') > 0) THEN
    RAISE EXCEPTION 'app.world_evict must take offline presences out too, as SECURITY DEFINER with a pinned search_path';
  END IF;
END
$$;

ROLLBACK;
