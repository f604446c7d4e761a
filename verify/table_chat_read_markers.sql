-- Verify arkagentic:table_chat_read_markers on pg

BEGIN;

SELECT session_id, user_id, last_read_message_id, updated_at FROM app.chat_read_markers WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.chat_read_markers'::regclass),
    'row-level security must be enabled and forced on app.chat_read_markers';
END
$$;

ROLLBACK;
