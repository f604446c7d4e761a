-- Verify arkagentic:view_api_meetings on pg

BEGIN;

SELECT session_id, building_id, world_slug, room_slug, jitsi_room, started_at, participants FROM api.meetings WHERE false;
SELECT session_id, building_id, world_slug, room_slug, jitsi_room, started_at, ended_at, user_id, source, joined_at,
       left_at, duration_seconds FROM api.meeting_history WHERE false;

ROLLBACK;
