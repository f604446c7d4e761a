-- Verify arkagentic:apply_moves_one_update on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc
                  WHERE oid = 'realtime.apply_moves(jsonb)'::regprocedure AND prosecdef
                    AND proconfig @> ARRAY['search_path=""']
                    AND prosrc LIKE '%app.move_verdict(%' AND prosrc NOT LIKE '%app.presence_move(%') THEN
    RAISE EXCEPTION 'realtime.apply_moves must judge by app.move_verdict and write presence once per tick';
  END IF;
END
$$;

ROLLBACK;
