-- Verify arkagentic:policy_agent_prompts on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_policies WHERE schemaname || '.' || tablename = 'app.agent_prompts') = 4,
    'app.agent_prompts must have exactly 4 policies';
END
$$;

ROLLBACK;
