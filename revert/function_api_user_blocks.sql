-- Revert arkagentic:function_api_user_blocks from pg

BEGIN;

DROP FUNCTION api.unblock_user(uuid);
DROP FUNCTION api.block_user(uuid);
DROP FUNCTION app.block_target(uuid, uuid);
DROP VIEW api.blocked_users;

COMMIT;
