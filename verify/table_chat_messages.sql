-- Verify arkagentic:table_chat_messages on pg

BEGIN;

SELECT id, session_id, sender_type, sender_id, sender_name, content, created_at FROM app.chat_messages WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.chat_messages'::regclass),
    'row-level security must be enabled and forced on app.chat_messages';
END
$$;

ROLLBACK;
