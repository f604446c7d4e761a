-- Revert arkagentic:view_api_agent_inbox from pg

BEGIN;

DROP VIEW api.agent_inbox;

COMMIT;
