-- Revert arkagentic:function_app_meetings from pg

BEGIN;

DROP FUNCTION app.meeting_call_record(uuid, uuid, text, timestamptz, timestamptz);
DROP FUNCTION app.meeting_zones_follow(uuid[]);
DROP FUNCTION app.meeting_zone_holds(app.buildings, uuid, integer, integer, text);
DROP FUNCTION app.meeting_frame(text, uuid, uuid);
DROP FUNCTION app.meeting_close_if_empty(uuid);
DROP FUNCTION app.meeting_open_session(uuid);
DROP FUNCTION app.meeting_building_by_jitsi_name(text);
DROP FUNCTION app.meeting_jitsi_name(text, text);

COMMIT;
