-- Verify arkagentic:table_chat_messages_content_check_function on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT convalidated AND pg_get_constraintdef(oid) LIKE '%app.chat_content_ok(content, sender_type)%'
            FROM pg_constraint
           WHERE conrelid = 'app.chat_messages'::regclass AND conname = 'chat_messages_content_length'),
    'chat_messages_content_length must be a validated check through app.chat_content_ok';
  ASSERT app.chat_content_ok(E'two\nlines', 'user') AND NOT app.chat_content_ok(E'esc\u009b', 'user')
     AND NOT app.chat_content_ok(' ', 'user') AND NOT app.chat_content_ok(repeat('x', 4001), 'user')
     AND app.chat_content_ok(repeat('x', 32000), 'agent'),
    'app.chat_content_ok must keep the content rule';
END
$$;

ROLLBACK;
