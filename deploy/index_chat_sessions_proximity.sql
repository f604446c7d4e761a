-- Deploy arkagentic:index_chat_sessions_proximity to pg
-- requires: table_chat_sessions
-- One proximity session per speaker and room: say_nearby finds it, or creates it exactly once.

BEGIN;

CREATE UNIQUE INDEX chat_sessions_proximity_speaker ON app.chat_sessions (user_id, room_id) WHERE type = 'proximity';

COMMIT;
