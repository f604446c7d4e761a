-- Verify arkagentic:function_realtime_chat on pg

BEGIN;

DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['realtime.chat_feed(xid8, bigint, integer)', 'realtime.messages_after(uuid, bigint, integer)',
                           'realtime.agent_messages_after(bigint, integer)'] LOOP
    ASSERT has_function_privilege('bridge', f, 'EXECUTE'), 'bridge must execute ' || f;
    ASSERT NOT has_function_privilege('player', f, 'EXECUTE'), 'player must not execute ' || f;
    ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc WHERE oid = f::regprocedure),
      f || ' must be SECURITY DEFINER with a pinned search_path';
  END LOOP;
  ASSERT realtime.chat_feed(NULL) -> 'messages' = '[]', 'a feed without a start returns only its xmin';
  ASSERT realtime.messages_after('00000000-0000-4000-8000-000000000000', 0) = '[]', 'a stranger reads nothing';
END
$$;

ROLLBACK;
