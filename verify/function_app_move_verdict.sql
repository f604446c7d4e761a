-- Verify arkagentic:function_app_move_verdict on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  PERFORM 'app.move_blocked(uuid, integer, integer, integer, integer)'::regprocedure;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc
                  WHERE oid = 'app.move_verdict(app.player_presence, app.rooms, integer, integer, text, timestamptz)'::regprocedure
                    AND prosrc LIKE '%app.move_blocked(%' AND proconfig @> ARRAY['search_path=""']) THEN
    RAISE EXCEPTION 'app.move_verdict must ask app.move_blocked about walls';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc
                  WHERE oid = 'app.presence_move(uuid, integer, integer, text, timestamptz)'::regprocedure
                    AND prosrc LIKE '%app.move_verdict(%') THEN
    RAISE EXCEPTION 'app.presence_move must judge by app.move_verdict';
  END IF;
END
$$;

ROLLBACK;
