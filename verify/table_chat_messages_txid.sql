-- Verify arkagentic:table_chat_messages_txid on pg

BEGIN;

SELECT txid FROM app.chat_messages WHERE false;
SELECT 1/count(*) FROM pg_indexes WHERE schemaname = 'app' AND indexname = 'chat_messages_txid_idx';

ROLLBACK;
