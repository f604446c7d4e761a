-- Revert arkagentic:index_chat_sessions_proximity from pg

BEGIN;

DROP INDEX app.chat_sessions_proximity_speaker;

COMMIT;
