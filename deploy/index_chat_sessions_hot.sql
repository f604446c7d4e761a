-- Deploy arkagentic:index_chat_sessions_hot to pg
-- requires: table_chat_sessions
-- Every message moves its session's last_message_at. With that column in two indexes, each such
-- update wrote a new entry into all eight indexes of the table; without it, and with room left on
-- each page, the update is HOT and touches no index. A player has few sessions, so sorting them by
-- last_message_at after an index lookup by user costs nothing.

BEGIN;

DROP INDEX app.chat_sessions_user_recent;
DROP INDEX app.chat_sessions_other_user_recent;
CREATE INDEX chat_sessions_user_idx ON app.chat_sessions (user_id);
CREATE INDEX chat_sessions_other_user_idx ON app.chat_sessions (other_user_id) WHERE other_user_id IS NOT NULL;
ALTER TABLE app.chat_sessions SET (fillfactor = 80);

COMMIT;
