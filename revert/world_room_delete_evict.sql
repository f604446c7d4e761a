-- Revert arkagentic:world_room_delete_evict from pg

BEGIN;

DROP TRIGGER rooms_evict_before_delete ON app.rooms;
DROP FUNCTION app.room_evict_before_delete();

COMMIT;
