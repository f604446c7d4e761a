-- Verify arkagentic:view_api_agent_prompts on pg

BEGIN;

SELECT id, agent_id, agent_slug, version, system_prompt, is_active, created_at FROM api.agent_prompts WHERE false;
DO $$
BEGIN
  ASSERT NOT has_table_privilege('player', 'api.agent_prompts', 'SELECT'), 'players must never read prompts';
  ASSERT NOT has_table_privilege('web_anon', 'api.agent_prompts', 'SELECT'), 'web_anon must never read prompts';
  ASSERT has_table_privilege('agent_service', 'api.agent_prompts', 'SELECT'), 'the agent worker reads prompts';
END
$$;

ROLLBACK;
