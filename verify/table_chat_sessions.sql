-- Verify arkagentic:table_chat_sessions on pg

BEGIN;

SELECT id, type, user_id, agent_id, other_user_id, room_id, created_at, last_message_at FROM app.chat_sessions WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.chat_sessions'::regclass),
    'row-level security must be enabled and forced on app.chat_sessions';
END
$$;

ROLLBACK;
