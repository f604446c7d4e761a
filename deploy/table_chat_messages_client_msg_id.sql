-- Deploy arkagentic:table_chat_messages_client_msg_id to pg
-- requires: table_chat_messages
-- A sender's own id for a message (Matrix's txnId): a client that retries a send after a network
-- error, or after PostgREST died mid-request, sends the same id and gets the stored message back
-- instead of a second copy.

BEGIN;

ALTER TABLE app.chat_messages ADD COLUMN client_msg_id uuid;
COMMENT ON COLUMN app.chat_messages.client_msg_id IS
  'The sender''s idempotency key: one message per sender and key.';
-- Partial: messages sent without a key (agents, greetings, old clients) cost no index entry.
CREATE UNIQUE INDEX chat_messages_client_msg_id_idx ON app.chat_messages (sender_id, client_msg_id)
  WHERE client_msg_id IS NOT NULL;

COMMIT;
