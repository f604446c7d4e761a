-- Revert arkagentic:table_agent_prompts_blank_check from pg

BEGIN;

ALTER TABLE app.agent_prompts DROP CONSTRAINT agent_prompts_not_blank;

COMMIT;
