-- Verify arkagentic:policy_chat_messages on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.chat_messages') = 1,
    'app.chat_messages must have exactly 1 policies';
END
$$;

ROLLBACK;
