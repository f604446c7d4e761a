-- Revert arkagentic:table_meetings from pg

BEGIN;

DROP TABLE app.meeting_attendance;
DROP TABLE app.meeting_sessions;
DROP INDEX app.buildings_meeting_jitsi_room_key;

COMMIT;
