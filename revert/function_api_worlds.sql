-- Revert arkagentic:function_api_worlds from pg

BEGIN;

DROP FUNCTION api.unban(text, uuid);
DROP FUNCTION api.ban(text, uuid, text, timestamptz);
DROP FUNCTION api.leave_world(text);
DROP FUNCTION api.remove_member(text, uuid);
DROP FUNCTION api.transfer_ownership(text, uuid);
DROP FUNCTION api.set_member_role(text, uuid, text);
DROP FUNCTION api.accept_invitation(text);
DROP FUNCTION app.invitation_refused();
DROP FUNCTION api.revoke_invitation(uuid);
DROP FUNCTION api.invite(text, text, integer, integer, text);
DROP FUNCTION api.restore_world(text);
DROP FUNCTION api.archive_world(text);
DROP FUNCTION api.get_world(text);
DROP FUNCTION api.create_world(text, text, text, text);
DROP FUNCTION app.my_world_role(uuid);
DROP FUNCTION app.listed_world_ids();
DROP FUNCTION app.world_member_role(app.worlds, uuid);
DROP FUNCTION app.world_caller();
DROP FUNCTION app.world_managed(text, uuid, text[], text);
DROP FUNCTION app.world_visible(text, uuid, boolean);

COMMIT;
