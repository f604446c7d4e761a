-- Verify arkagentic:table_agent_prompts on pg

BEGIN;

SELECT id, agent_id, version, system_prompt, is_active, created_at FROM app.agent_prompts WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.agent_prompts'::regclass),
    'row-level security must be enabled and forced on app.agent_prompts';
END
$$;

ROLLBACK;
