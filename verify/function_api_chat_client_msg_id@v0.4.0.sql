-- Verify arkagentic:function_api_chat_client_msg_id on pg

BEGIN;

DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['api.send_message(uuid, text, uuid)', 'api.say_nearby(text, uuid)'] LOOP
    ASSERT has_function_privilege('player', f, 'EXECUTE'), 'player must execute ' || f;
    ASSERT NOT has_function_privilege('web_anon', f, 'EXECUTE'), 'web_anon must not execute ' || f;
    ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc WHERE oid = f::regprocedure),
      f || ' must be SECURITY DEFINER with a pinned search_path';
  END LOOP;
  ASSERT to_regprocedure('api.send_message(uuid, text)') IS NULL, 'the two-argument send_message must be gone (PostgREST would find two)';
  ASSERT to_regprocedure('api.say_nearby(text)') IS NULL, 'the one-argument say_nearby must be gone';
  ASSERT NOT has_function_privilege('player', 'app.chat_store(uuid, text, uuid, text, text, uuid[], uuid)', 'EXECUTE'),
    'player must not call chat_store';
END
$$;

ROLLBACK;
