-- Verify arkagentic:function_api_chat on pg

BEGIN;

SELECT id, session_id, type, sender_type, sender_id, sender_name, content, created_at FROM api.chat_messages WHERE false;
SELECT id, type, user_id, agent_id, agent_slug, other_user_id, room_id, created_at, last_message_at, last_message, unread_count
  FROM api.chat_sessions WHERE false;
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['api.start_chat(text, uuid)', 'api.send_message(uuid, text)', 'api.say_nearby(text)',
                           'api.mark_read(uuid, bigint)', 'api.post_agent_reply(uuid, text)'] LOOP
    ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc WHERE oid = f::regprocedure),
      f || ' must be SECURITY DEFINER with a pinned search_path';
    ASSERT NOT has_function_privilege('web_anon', f, 'EXECUTE'), 'web_anon must not execute ' || f;
  END LOOP;
  ASSERT NOT has_function_privilege('player', 'api.post_agent_reply(uuid, text)', 'EXECUTE'), 'players must not post as an agent';
  ASSERT has_function_privilege('agent_service', 'api.post_agent_reply(uuid, text)', 'EXECUTE'), 'the agent worker posts replies';
  ASSERT api.route_agent('Can you RESEARCH this paper?') ->> 'agent_slug' IS NOT NULL
      OR NOT EXISTS (SELECT FROM app.agents), 'routing must find an agent by keyword';
END
$$;

ROLLBACK;
