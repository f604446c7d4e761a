-- Deploy arkagentic:policy_buildings to pg
-- requires: table_buildings
-- Who sees and changes which rows of app.buildings.

BEGIN;

-- World content is public; only content_admin changes it.
CREATE POLICY buildings_read ON app.buildings FOR SELECT
  TO web_anon, player, agent_service, content_admin USING (true);
CREATE POLICY buildings_admin_write ON app.buildings FOR ALL
  TO content_admin USING (true) WITH CHECK (true);

COMMIT;
