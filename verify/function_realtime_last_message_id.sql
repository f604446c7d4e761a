-- Verify arkagentic:function_realtime_last_message_id on pg

BEGIN;

DO $$
BEGIN
  ASSERT realtime.last_message_id() >= 0, 'last_message_id must be a count-like id';
  ASSERT has_function_privilege('bridge', 'realtime.last_message_id()', 'EXECUTE'), 'bridge must execute it';
  ASSERT NOT has_function_privilege('player', 'realtime.last_message_id()', 'EXECUTE'), 'player must not execute it';
  ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc
           WHERE oid = 'realtime.last_message_id()'::regprocedure), 'it must be SECURITY DEFINER with a pinned search_path';
END
$$;

ROLLBACK;
