-- Revert arkagentic:trigger_meeting_zones from pg

BEGIN;

DROP TRIGGER meeting_zones_building ON app.buildings;
DROP FUNCTION app.meeting_zones_building();
DROP TRIGGER meeting_zones_delete ON app.player_presence;
DROP TRIGGER meeting_zones_update ON app.player_presence;
DROP TRIGGER meeting_zones_insert ON app.player_presence;
DROP FUNCTION app.meeting_zones_after_delete();
DROP FUNCTION app.meeting_zones_after_update();
DROP FUNCTION app.meeting_zones_after_insert();

COMMIT;
