-- Verify arkagentic:policy_chat_delivery on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname = 'app' AND tablename = 'chat_messages') = 3,
    'chat_messages must have participant, recipient and agent_service policies';
  ASSERT NOT has_table_privilege('content_admin', 'app.chat_messages', 'SELECT'), 'chats are private to content_admin';
END
$$;

ROLLBACK;
