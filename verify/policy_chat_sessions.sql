-- Verify arkagentic:policy_chat_sessions on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.chat_sessions') = 1,
    'app.chat_sessions must have exactly 1 policies';
END
$$;

ROLLBACK;
