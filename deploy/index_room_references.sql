-- Deploy arkagentic:index_room_references to pg
-- requires: table_chat_sessions table_player_presence
-- Deleting a room checks every row that references it; without these indexes each check scans
-- a whole table (the presence index is partial, which a foreign-key check cannot use).

BEGIN;

CREATE INDEX chat_sessions_room_id_idx ON app.chat_sessions (room_id) WHERE room_id IS NOT NULL;
CREATE INDEX player_presence_room_id_idx ON app.player_presence (room_id);

COMMIT;
