-- Verify arkagentic:index_chat_sessions_proximity on pg

BEGIN;

SELECT 1/count(*) FROM pg_indexes WHERE schemaname = 'app' AND indexname = 'chat_sessions_proximity_speaker';

ROLLBACK;
