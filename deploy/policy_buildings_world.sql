-- Deploy arkagentic:policy_buildings_world to pg
-- requires: policy_buildings table_rooms_world function_app_world_access
-- Buildings follow their world (issue 11): readable where the world is (app.readable_world_ids), edited by
-- its owner and editors, and by content_admin in the installation's own worlds, which it reads with the
-- public ones (app.admin_readable_world_ids).

BEGIN;

DROP POLICY buildings_read ON app.buildings;
DROP POLICY buildings_admin_write ON app.buildings;

CREATE POLICY buildings_world_read ON app.buildings FOR SELECT
  TO web_anon, player, agent_service USING (world_id = ANY ((SELECT app.readable_world_ids())::uuid[]));
-- Writes have a policy per command, not FOR ALL: a FOR ALL policy is also a SELECT policy, and every
-- read would compute the editable worlds too.
CREATE POLICY buildings_world_insert ON app.buildings FOR INSERT
  TO player WITH CHECK (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY buildings_world_update ON app.buildings FOR UPDATE
  TO player
  USING (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]))
  WITH CHECK (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY buildings_world_delete ON app.buildings FOR DELETE
  TO player USING (world_id = ANY ((SELECT app.editable_world_ids())::uuid[]));
CREATE POLICY buildings_admin_read ON app.buildings FOR SELECT
  TO content_admin USING (world_id = ANY ((SELECT app.admin_readable_world_ids())::uuid[]));
CREATE POLICY buildings_admin_insert ON app.buildings FOR INSERT
  TO content_admin WITH CHECK (world_id = ANY ((SELECT app.installation_world_ids())::uuid[]));
CREATE POLICY buildings_admin_update ON app.buildings FOR UPDATE
  TO content_admin
  USING (world_id = ANY ((SELECT app.installation_world_ids())::uuid[]))
  WITH CHECK (world_id = ANY ((SELECT app.installation_world_ids())::uuid[]));
CREATE POLICY buildings_admin_delete ON app.buildings FOR DELETE
  TO content_admin USING (world_id = ANY ((SELECT app.installation_world_ids())::uuid[]));

GRANT INSERT, UPDATE, DELETE ON app.buildings TO player;
-- The bounds triggers of buildings and spawn points run as the writer and call this check: an editor's
-- building or spawn point would otherwise fail with "permission denied for function". It reads the room
-- under the writer's row-level security, so it says nothing of a room they cannot read.
GRANT EXECUTE ON FUNCTION app.assert_inside_room(uuid, integer, integer, text) TO player;

COMMIT;
