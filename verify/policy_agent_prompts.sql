-- Verify arkagentic:policy_agent_prompts on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.agent_prompts' AND policyname = 'agent_prompts_service_read'),
    'policy agent_prompts_service_read on app.agent_prompts is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.agent_prompts' AND policyname = 'agent_prompts_admin_read'),
    'policy agent_prompts_admin_read on app.agent_prompts is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.agent_prompts' AND policyname = 'agent_prompts_admin_insert'),
    'policy agent_prompts_admin_insert on app.agent_prompts is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.agent_prompts' AND policyname = 'agent_prompts_admin_update'),
    'policy agent_prompts_admin_update on app.agent_prompts is missing';
END
$$;

ROLLBACK;
