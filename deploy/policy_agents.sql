-- Deploy arkagentic:policy_agents to pg
-- requires: table_agents
-- Who sees and changes which rows of app.agents.

BEGIN;

-- Disabled agents vanish for everyone but content_admin, who can bring them back.
CREATE POLICY agents_active_read ON app.agents FOR SELECT
  TO web_anon, player, agent_service USING (is_active);
CREATE POLICY agents_admin_all ON app.agents FOR ALL
  TO content_admin USING (true) WITH CHECK (true);

COMMIT;
