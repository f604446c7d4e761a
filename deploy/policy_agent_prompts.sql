-- Deploy arkagentic:policy_agent_prompts to pg
-- requires: table_agent_prompts
-- Who sees and changes which rows of app.agent_prompts.

BEGIN;

-- Prompts are for the agent worker and content admins only; players never see them.
CREATE POLICY agent_prompts_service_read ON app.agent_prompts FOR SELECT
  TO agent_service USING (true);
CREATE POLICY agent_prompts_admin_read ON app.agent_prompts FOR SELECT
  TO content_admin USING (true);
CREATE POLICY agent_prompts_admin_insert ON app.agent_prompts FOR INSERT
  TO content_admin WITH CHECK (true);
CREATE POLICY agent_prompts_admin_update ON app.agent_prompts FOR UPDATE
  TO content_admin USING (true) WITH CHECK (true);

COMMIT;
