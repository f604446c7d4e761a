-- Revert arkagentic:policy_rooms_world from pg

BEGIN;

REVOKE INSERT, UPDATE, DELETE ON app.rooms FROM player;
DROP POLICY rooms_admin_delete ON app.rooms;
DROP POLICY rooms_admin_update ON app.rooms;
DROP POLICY rooms_admin_insert ON app.rooms;
DROP POLICY rooms_admin_read ON app.rooms;
DROP POLICY rooms_world_delete ON app.rooms;
DROP POLICY rooms_world_update ON app.rooms;
DROP POLICY rooms_world_insert ON app.rooms;
DROP POLICY rooms_world_read ON app.rooms;

CREATE POLICY rooms_read ON app.rooms FOR SELECT
  TO web_anon, player, agent_service, content_admin USING (true);
CREATE POLICY rooms_admin_write ON app.rooms FOR ALL
  TO content_admin USING (true) WITH CHECK (true);

COMMIT;
