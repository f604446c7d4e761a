-- Verify arkagentic:function_app_move_blocked_walls on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc
                  WHERE oid = 'app.move_blocked(uuid, integer, integer, integer, integer)'::regprocedure
                    AND prosrc LIKE '%app.map_versions%' AND proconfig @> ARRAY['search_path=""']) THEN
    RAISE EXCEPTION 'app.move_blocked must read the walls of the room''s current map';
  END IF;
END
$$;

ROLLBACK;
