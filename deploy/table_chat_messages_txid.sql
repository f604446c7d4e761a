-- Deploy arkagentic:table_chat_messages_txid to pg
-- requires: table_chat_messages
-- The transaction that stored each message, so the bridge can tail new messages without NOTIFY.
-- NOTIFY takes a database-wide lock at commit and holds it through the WAL flush, so every chat
-- commit waited for the one before it (one flush per message, no group commit). Tailing by
-- transaction id instead: a reader that remembers the oldest transaction still running when it last
-- looked (its snapshot's xmin) re-reads from there and misses no message, whatever order the
-- writers commit in.

BEGIN;

ALTER TABLE app.chat_messages ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
COMMENT ON COLUMN app.chat_messages.txid IS 'The transaction that stored the message: the tail cursor of realtime.chat_feed.';
CREATE INDEX chat_messages_txid_idx ON app.chat_messages (txid);

COMMIT;
