-- Revert arkagentic:world_evict from pg

BEGIN;

DROP TRIGGER worlds_evict ON app.worlds;
DROP TRIGGER worlds_evict_renamed ON app.worlds;
DROP TRIGGER worlds_evict_before_delete ON app.worlds;
DROP TRIGGER world_members_evict ON app.world_members;
DROP TRIGGER world_bans_evict ON app.world_bans;
DROP FUNCTION app.world_evict_trigger();
DROP FUNCTION app.world_evict(uuid, uuid, text, text);

COMMIT;
