-- Revert arkagentic:table_agents from pg

BEGIN;

DROP TABLE app.agents;

COMMIT;
