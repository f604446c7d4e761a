-- Revert arkagentic:function_app_world_access from pg

BEGIN;

DROP FUNCTION app.world_by_slug(text, uuid);
DROP FUNCTION app.world_may_enter(app.worlds, uuid);
DROP FUNCTION app.world_banned(uuid, uuid);
DROP FUNCTION app.world_role(uuid, uuid);
DROP FUNCTION app.admin_readable_world_ids();
DROP FUNCTION app.installation_world_ids(boolean);
DROP FUNCTION app.member_world_ids();
DROP FUNCTION app.editable_world_ids();
DROP FUNCTION app.readable_world_ids();
DROP FUNCTION app.readable_world_ids(uuid);

COMMIT;
