-- Verify arkagentic:function_app_chat on pg

BEGIN;

DO $$
BEGIN
  ASSERT app.check_chat_content(E'two\nlines', 4000) = E'two\nlines', 'newlines are allowed';
  BEGIN
    PERFORM app.check_chat_content(E'tab\there', 4000);
    RAISE EXCEPTION 'a tab was accepted';
  EXCEPTION WHEN invalid_parameter_value THEN NULL;
  END;
  ASSERT NOT has_function_privilege('player', 'app.chat_store(uuid, text, uuid, text, text, uuid[])', 'EXECUTE'),
    'players must not store messages directly';
END
$$;

ROLLBACK;
