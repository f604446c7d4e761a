-- Revert arkagentic:policy_agents from pg

BEGIN;

DROP POLICY agents_admin_all ON app.agents;
DROP POLICY agents_active_read ON app.agents;

COMMIT;
