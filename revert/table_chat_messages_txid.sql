-- Revert arkagentic:table_chat_messages_txid from pg

BEGIN;

DROP INDEX app.chat_messages_txid_idx;
ALTER TABLE app.chat_messages DROP COLUMN txid;

COMMIT;
