-- Verify arkagentic:table_chat_sessions_drop_last_message_at on pg

BEGIN;

DO $$
BEGIN
  ASSERT NOT EXISTS (SELECT FROM pg_attribute
                      WHERE attrelid = 'app.chat_sessions'::regclass AND attname = 'last_message_at' AND NOT attisdropped),
    'app.chat_sessions.last_message_at must be gone';
END
$$;

ROLLBACK;
