-- Verify arkagentic:table_chat_messages_bidi_check on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT convalidated FROM pg_constraint
           WHERE conrelid = 'app.chat_messages'::regclass AND conname = 'chat_messages_content_bidi'),
    'chat_messages_content_bidi must exist and be validated';
END
$$;

ROLLBACK;
