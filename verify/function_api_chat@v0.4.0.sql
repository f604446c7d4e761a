-- Verify arkagentic:function_api_chat on pg

BEGIN;

SELECT id, type, user_id, agent_id, agent_slug, other_user_id, room_id, created_at, last_message_at, last_message, unread_count
  FROM api.chat_sessions WHERE false;
DO $$
BEGIN
  ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc
           WHERE oid = 'api.send_message(uuid, text)'::regprocedure),
    'api.send_message must be SECURITY DEFINER with a pinned search_path';
  ASSERT has_function_privilege('player', 'api.send_message(uuid, text)', 'EXECUTE'), 'players send messages';
  ASSERT NOT has_function_privilege('web_anon', 'api.send_message(uuid, text)', 'EXECUTE'), 'web_anon must not send';
  ASSERT pg_get_viewdef('api.chat_sessions'::regclass) NOT LIKE '%s.last_message_at%',
    'api.chat_sessions must read last_message_at from the last message';
END
$$;

ROLLBACK;
