-- Revert arkagentic:policy_agent_prompts from pg

BEGIN;

DROP POLICY agent_prompts_admin_update ON app.agent_prompts;
DROP POLICY agent_prompts_admin_insert ON app.agent_prompts;
DROP POLICY agent_prompts_admin_read ON app.agent_prompts;
DROP POLICY agent_prompts_service_read ON app.agent_prompts;

COMMIT;
