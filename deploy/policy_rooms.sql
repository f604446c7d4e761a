-- Deploy arkagentic:policy_rooms to pg
-- requires: table_rooms
-- Who sees and changes which rows of app.rooms.

BEGIN;

-- World content is public; only content_admin changes it.
CREATE POLICY rooms_read ON app.rooms FOR SELECT
  TO web_anon, player, agent_service, content_admin USING (true);
CREATE POLICY rooms_admin_write ON app.rooms FOR ALL
  TO content_admin USING (true) WITH CHECK (true);

COMMIT;
