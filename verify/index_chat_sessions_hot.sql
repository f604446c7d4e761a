-- Verify arkagentic:index_chat_sessions_hot on pg

BEGIN;

DO $$
BEGIN
  ASSERT NOT EXISTS (SELECT FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                      WHERE i.indrelid = 'app.chat_sessions'::regclass AND a.attname = 'last_message_at'),
    'no index of app.chat_sessions may cover last_message_at, or every message''s update stops being HOT';
  ASSERT (SELECT 'fillfactor=80' = ANY (reloptions) FROM pg_class WHERE oid = 'app.chat_sessions'::regclass),
    'app.chat_sessions must leave room for HOT updates';
END
$$;

ROLLBACK;
