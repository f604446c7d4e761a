-- Revert arkagentic:table_worlds from pg

BEGIN;

DROP TABLE app.world_settings, app.world_visitors, app.world_bans, app.world_invitations, app.world_members;
DROP TABLE app.worlds;
DROP FUNCTION app.world_owner_check();

COMMIT;
