-- Verify arkagentic:function_api_maps on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  PERFORM 'api.validate_map(jsonb, text, text)'::regprocedure, 'api.publish_map(text, text, jsonb, text)'::regprocedure,
          'api.restore_map(text, text, integer)'::regprocedure, 'app.dba_publish_map(text, text, jsonb, text)'::regprocedure;
  IF has_function_privilege('web_anon', 'api.publish_map(text, text, jsonb, text)', 'EXECUTE')
     OR has_function_privilege('agent_service', 'api.publish_map(text, text, jsonb, text)', 'EXECUTE') THEN
    RAISE EXCEPTION 'only players and content_admin may call api.publish_map';
  END IF;
END
$$;

ROLLBACK;
