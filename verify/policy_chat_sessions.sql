-- Verify arkagentic:policy_chat_sessions on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.chat_sessions' AND policyname = 'chat_sessions_participant_read'),
    'policy chat_sessions_participant_read on app.chat_sessions is missing';
END
$$;

ROLLBACK;
