-- Verify arkagentic:function_app_chat on pg

BEGIN;

DO $$
DECLARE
  store CONSTANT regprocedure := 'app.chat_store(uuid, text, uuid, text, text, uuid[])';
BEGIN
  ASSERT app.check_chat_content(E'two\nlines', 4000) = E'two\nlines', 'newlines are allowed';
  BEGIN
    PERFORM app.check_chat_content(E'tab\there', 4000);
    RAISE EXCEPTION 'a tab was accepted';
  EXCEPTION WHEN invalid_parameter_value THEN NULL;
  END;
  ASSERT NOT has_function_privilege('player', store, 'EXECUTE'), 'players must not store messages directly';
  ASSERT (SELECT prosrc NOT LIKE '%chat_sessions%' FROM pg_proc WHERE oid = store),
    'chat_store must not write the session: api.chat_sessions reads last_message_at from the last message';
END
$$;

ROLLBACK;
