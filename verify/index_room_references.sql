-- Verify arkagentic:index_room_references on pg

BEGIN;

SELECT 1/count(*) FROM pg_indexes WHERE schemaname = 'app' AND indexname = 'chat_sessions_room_id_idx';
SELECT 1/count(*) FROM pg_indexes WHERE schemaname = 'app' AND indexname = 'player_presence_room_id_idx';

ROLLBACK;
