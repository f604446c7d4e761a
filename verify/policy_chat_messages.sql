-- Verify arkagentic:policy_chat_messages on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.chat_messages' AND policyname = 'chat_messages_participant_read'),
    'policy chat_messages_participant_read on app.chat_messages is missing';
END
$$;

ROLLBACK;
