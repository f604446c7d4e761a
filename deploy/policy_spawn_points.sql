-- Deploy arkagentic:policy_spawn_points to pg
-- requires: table_spawn_points
-- Who sees and changes which rows of app.spawn_points.

BEGIN;

-- World content is public; only content_admin changes it.
CREATE POLICY spawn_points_read ON app.spawn_points FOR SELECT
  TO web_anon, player, agent_service, content_admin USING (true);
CREATE POLICY spawn_points_admin_write ON app.spawn_points FOR ALL
  TO content_admin USING (true) WITH CHECK (true);

COMMIT;
