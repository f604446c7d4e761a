-- Revert arkagentic:policy_buildings_world from pg

BEGIN;

REVOKE EXECUTE ON FUNCTION app.assert_inside_room(uuid, integer, integer, text) FROM player;
REVOKE INSERT, UPDATE, DELETE ON app.buildings FROM player;
DROP POLICY buildings_admin_delete ON app.buildings;
DROP POLICY buildings_admin_update ON app.buildings;
DROP POLICY buildings_admin_insert ON app.buildings;
DROP POLICY buildings_admin_read ON app.buildings;
DROP POLICY buildings_world_delete ON app.buildings;
DROP POLICY buildings_world_update ON app.buildings;
DROP POLICY buildings_world_insert ON app.buildings;
DROP POLICY buildings_world_read ON app.buildings;

CREATE POLICY buildings_read ON app.buildings FOR SELECT
  TO web_anon, player, agent_service, content_admin USING (true);
CREATE POLICY buildings_admin_write ON app.buildings FOR ALL
  TO content_admin USING (true) WITH CHECK (true);

COMMIT;
