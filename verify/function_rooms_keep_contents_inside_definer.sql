-- Verify arkagentic:function_rooms_keep_contents_inside_definer on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc
           WHERE oid = 'app.rooms_keep_contents_inside()'::regprocedure),
    'the room shrink check must be SECURITY DEFINER with a pinned search_path';
END
$$;

ROLLBACK;
