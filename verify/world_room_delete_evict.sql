-- Verify arkagentic:world_room_delete_evict on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_trigger
                  WHERE tgrelid = 'app.rooms'::regclass AND tgname = 'rooms_evict_before_delete'
                    AND tgfoid = 'app.room_evict_before_delete()'::regprocedure) THEN
    RAISE EXCEPTION 'rooms_evict_before_delete is missing';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_proc
                  WHERE oid = 'app.room_evict_before_delete()'::regprocedure AND prosecdef
                    AND proconfig @> ARRAY['search_path=""']) THEN
    RAISE EXCEPTION 'app.room_evict_before_delete must be SECURITY DEFINER with a pinned search_path';
  END IF;
  IF 'rooms_evict_before_delete' >= 'rooms_keep_history' COLLATE "C" THEN
    RAISE EXCEPTION 'rooms_evict_before_delete must sort (and so fire) before rooms_keep_history';
  END IF;
END
$$;

ROLLBACK;
