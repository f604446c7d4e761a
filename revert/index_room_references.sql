-- Revert arkagentic:index_room_references from pg

BEGIN;

DROP INDEX app.player_presence_room_id_idx;
DROP INDEX app.chat_sessions_room_id_idx;

COMMIT;
