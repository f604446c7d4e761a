-- Verify arkagentic:function_api_agents on pg

BEGIN;

SELECT has_function_privilege('api.create_agent(text, text, text, text, text, text, text, text, text[])', 'EXECUTE');
SELECT has_function_privilege('api.publish_prompt(text, text, text, text)', 'EXECUTE');
SELECT has_function_privilege('api.activate_prompt(text, integer, text)', 'EXECUTE');
SELECT has_function_privilege('api.suspend_agent(text, text, text)', 'EXECUTE');
SELECT has_function_privilege('api.restore_agent(text, text)', 'EXECUTE');
DO $$
BEGIN
  IF to_regprocedure('api.publish_prompt(text, text)') IS NOT NULL THEN
    RAISE EXCEPTION 'the old publish_prompt(agent_slug, system_prompt) is still there';
  END IF;
  IF has_function_privilege('player', 'api.suspend_agent(text, text, text)', 'EXECUTE') THEN
    RAISE EXCEPTION 'players may suspend agents';
  END IF;
END
$$;

ROLLBACK;
