-- Revert arkagentic:world_invitations_follow_inviter from pg

BEGIN;

DROP TRIGGER world_members_invitations_follow ON app.world_members;
DROP FUNCTION app.world_invitations_follow_inviter();

COMMIT;
