-- Revert arkagentic:policy_worlds from pg

BEGIN;

REVOKE ALL ON app.worlds, app.world_members, app.world_invitations, app.world_bans, app.world_visitors
  FROM web_anon, player, agent_service, content_admin;
DROP POLICY world_visitors_own_read ON app.world_visitors;
DROP POLICY world_bans_admin_read ON app.world_bans;
DROP POLICY world_bans_read ON app.world_bans;
DROP POLICY world_invitations_read ON app.world_invitations;
DROP POLICY world_members_admin_read ON app.world_members;
DROP POLICY world_members_read ON app.world_members;
DROP TRIGGER worlds_edit_rules ON app.worlds;
DROP FUNCTION app.worlds_edit_rules();
DROP POLICY worlds_admin_write ON app.worlds;
DROP POLICY worlds_admin_read ON app.worlds;
DROP POLICY worlds_edit ON app.worlds;
DROP POLICY worlds_read ON app.worlds;

COMMIT;
