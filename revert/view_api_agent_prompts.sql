-- Revert arkagentic:view_api_agent_prompts from pg

BEGIN;

DROP VIEW api.agent_prompts;

COMMIT;
