-- Verify arkagentic:function_realtime_chat_stream on pg

BEGIN;

DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['realtime.chat_stamp(boolean)', 'realtime.chat_head()', 'realtime.chat_stream(bigint, integer)', 'realtime.chat_tail(bigint, integer)',
                           'realtime.chat_replay(uuid, bigint, integer)', 'realtime.agent_chat_replay(bigint, integer)'] LOOP
    ASSERT has_function_privilege('bridge', f, 'EXECUTE'), 'bridge must execute ' || f;
    ASSERT NOT has_function_privilege('player', f, 'EXECUTE'), 'player must not execute ' || f;
    ASSERT NOT has_function_privilege('web_anon', f, 'EXECUTE'), 'web_anon must not execute ' || f;
    ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc WHERE oid = f::regprocedure),
      f || ' must be SECURITY DEFINER with a pinned search_path';
  END LOOP;
  ASSERT to_regprocedure('realtime.chat_feed(xid8, bigint, integer)') IS NULL, 'chat_feed must be gone';
  ASSERT to_regprocedure('realtime.last_message_id()') IS NULL, 'last_message_id must be gone';
  ASSERT realtime.chat_head() >= 0, 'the head is a position';
  ASSERT realtime.chat_replay('00000000-0000-4000-8000-000000000000', 0) -> 'messages' = '[]', 'a stranger reads nothing';
  ASSERT realtime.chat_stream(realtime.chat_head()) = '[]', 'nothing after the head';
END
$$;

ROLLBACK;
