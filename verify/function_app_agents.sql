-- Verify arkagentic:function_app_agents on pg

BEGIN;

SELECT has_function_privilege('app.agent_id_in_world(uuid, text)', 'EXECUTE');
SELECT has_function_privilege('app.agent_lookup(text, text)', 'EXECUTE');
SELECT has_function_privilege('app.chat_agent(text, text, uuid)', 'EXECUTE');
SELECT has_function_privilege('app.agent_chat_open(uuid, uuid)', 'EXECUTE');
SELECT has_function_privilege('app.agent_create(app.worlds, text, text, text, text, text, text, text[], text, jsonb)', 'EXECUTE');
DO $$
BEGIN
  IF (SELECT provolatile FROM pg_proc WHERE oid = 'app.agent_id_in_world(uuid, text)'::regprocedure) <> 's' THEN
    RAISE EXCEPTION 'app.agent_id_in_world is not STABLE';
  END IF;
END
$$;

ROLLBACK;
