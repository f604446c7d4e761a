-- Revert arkagentic:view_api_worlds from pg

BEGIN;

DROP VIEW api.world_bans;
DROP VIEW api.world_invitations;
DROP VIEW api.world_members;
DROP VIEW api.worlds;

COMMIT;
