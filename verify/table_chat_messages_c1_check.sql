-- Verify arkagentic:table_chat_messages_c1_check on pg

BEGIN;

SELECT 1/count(*) FROM pg_constraint
 WHERE conrelid = 'app.chat_messages'::regclass AND conname = 'chat_messages_content_length'
   AND pg_get_constraintdef(oid) LIKE '%x7f-%x9f%';

ROLLBACK;
