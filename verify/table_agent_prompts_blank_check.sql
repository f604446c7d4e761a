-- Verify arkagentic:table_agent_prompts_blank_check on pg

BEGIN;

SELECT 1/count(*) FROM pg_constraint WHERE conname = 'agent_prompts_not_blank' AND conrelid = 'app.agent_prompts'::regclass;

ROLLBACK;
