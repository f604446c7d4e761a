-- Verify arkagentic:chat_agents_world on pg

BEGIN;

SELECT has_function_privilege('api.start_chat(text, uuid, text)', 'EXECUTE');
SELECT has_function_privilege('api.route_agent(text, text)', 'EXECUTE');
DO $$
BEGIN
  IF to_regprocedure('api.start_chat(text, uuid)') IS NOT NULL OR to_regprocedure('api.route_agent(text)') IS NOT NULL THEN
    RAISE EXCEPTION 'the world-less start_chat or route_agent is still there';
  END IF;
  IF position('agent_chat_open' IN pg_get_functiondef('api.send_message(uuid, text, uuid)'::regprocedure)) = 0 THEN
    RAISE EXCEPTION 'send_message does not refuse a suspended agent';
  END IF;
END
$$;

ROLLBACK;
