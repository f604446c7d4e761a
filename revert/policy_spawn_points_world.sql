-- Revert arkagentic:policy_spawn_points_world from pg

BEGIN;

REVOKE INSERT, UPDATE, DELETE ON app.spawn_points FROM player;
DROP POLICY spawn_points_admin_delete ON app.spawn_points;
DROP POLICY spawn_points_admin_update ON app.spawn_points;
DROP POLICY spawn_points_admin_insert ON app.spawn_points;
DROP POLICY spawn_points_admin_read ON app.spawn_points;
DROP POLICY spawn_points_world_delete ON app.spawn_points;
DROP POLICY spawn_points_world_update ON app.spawn_points;
DROP POLICY spawn_points_world_insert ON app.spawn_points;
DROP POLICY spawn_points_world_read ON app.spawn_points;

CREATE POLICY spawn_points_read ON app.spawn_points FOR SELECT
  TO web_anon, player, agent_service, content_admin USING (true);
CREATE POLICY spawn_points_admin_write ON app.spawn_points FOR ALL
  TO content_admin USING (true) WITH CHECK (true);

COMMIT;
