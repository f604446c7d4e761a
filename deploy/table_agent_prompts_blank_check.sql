-- Deploy arkagentic:table_agent_prompts_blank_check to pg
-- requires: table_agent_prompts
-- A prompt of only tabs and newlines is empty too; the first check trimmed spaces only.

BEGIN;

ALTER TABLE app.agent_prompts ADD CONSTRAINT agent_prompts_not_blank
  CHECK (btrim(system_prompt, E' \t\n\r') <> '');

COMMIT;
