-- Verify arkagentic:policy_agents on pg

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.agents' AND policyname = 'agents_active_read'),
    'policy agents_active_read on app.agents is missing';
  ASSERT EXISTS (SELECT FROM pg_policies WHERE schemaname || '.' || tablename = 'app.agents' AND policyname = 'agents_admin_all'),
    'policy agents_admin_all on app.agents is missing';
END
$$;

ROLLBACK;
