-- Deploy arkagentic:policy_spawn_points_world to pg
-- requires: policy_spawn_points table_rooms_world function_app_world_access
-- Spawn points follow their world (issue 11): readable where the world is (app.readable_world_ids), edited by
-- its owner and editors, and by content_admin in the installation's own worlds, which it reads with the
-- public ones (app.admin_readable_world_ids).

BEGIN;

DROP POLICY spawn_points_read ON app.spawn_points;
DROP POLICY spawn_points_admin_write ON app.spawn_points;

CREATE POLICY spawn_points_world_read ON app.spawn_points FOR SELECT
  TO web_anon, player, agent_service USING (world_id = ANY ((SELECT app.readable_world_ids())::uuid[]));
-- Writes have a policy per command, not FOR ALL: a FOR ALL policy is also a SELECT policy, and every
-- read would compute the editable worlds too.
CREATE POLICY spawn_points_world_insert ON app.spawn_points FOR INSERT
  TO player WITH CHECK (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY spawn_points_world_update ON app.spawn_points FOR UPDATE
  TO player
  USING (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]))
  WITH CHECK (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY spawn_points_world_delete ON app.spawn_points FOR DELETE
  TO player USING (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY spawn_points_admin_read ON app.spawn_points FOR SELECT
  TO content_admin USING (world_id = ANY ((SELECT app.admin_readable_world_ids())::uuid[]));
CREATE POLICY spawn_points_admin_insert ON app.spawn_points FOR INSERT
  TO content_admin WITH CHECK (world_id = ANY ((SELECT app.installation_world_ids())::uuid[]));
CREATE POLICY spawn_points_admin_update ON app.spawn_points FOR UPDATE
  TO content_admin
  USING (world_id = ANY ((SELECT app.installation_world_ids())::uuid[]))
  WITH CHECK (world_id = ANY ((SELECT app.installation_world_ids())::uuid[]));
CREATE POLICY spawn_points_admin_delete ON app.spawn_points FOR DELETE
  TO content_admin USING (world_id = ANY ((SELECT app.installation_world_ids())::uuid[]));

GRANT INSERT, UPDATE, DELETE ON app.spawn_points TO player;

COMMIT;
