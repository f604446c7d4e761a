-- Verify arkagentic:table_chat_messages_client_msg_id on pg

BEGIN;

DO $$
BEGIN
  PERFORM client_msg_id FROM app.chat_messages WHERE false;
  ASSERT (SELECT indisunique FROM pg_index WHERE indexrelid = 'app.chat_messages_client_msg_id_idx'::regclass),
    'one message per sender and client_msg_id';
END
$$;

ROLLBACK;
