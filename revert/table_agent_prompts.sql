-- Revert arkagentic:table_agent_prompts from pg

BEGIN;

DROP TABLE app.agent_prompts;
DROP FUNCTION app.agent_prompts_guard();

COMMIT;
