-- Verify arkagentic:table_chat_message_recipients on pg

BEGIN;

SELECT message_id, user_id FROM app.chat_message_recipients WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.chat_message_recipients'::regclass),
    'row-level security must be enabled and forced on app.chat_message_recipients';
END
$$;

ROLLBACK;
