-- Verify arkagentic:function_api_user_blocks on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

SELECT user_id, created_at FROM api.blocked_users WHERE false;
DO $$
DECLARE
  fn regprocedure;
BEGIN
  FOREACH fn IN ARRAY ARRAY['api.block_user(uuid)'::regprocedure, 'api.unblock_user(uuid)'::regprocedure,
                            'app.block_target(uuid,uuid)'::regprocedure] LOOP
    ASSERT (SELECT 'search_path=""' = ANY (proconfig) AND (prosecdef OR pronamespace <> 'api'::regnamespace) FROM pg_proc WHERE oid = fn),
      fn::text || ' must pin its search_path (and be SECURITY DEFINER in api)';
    ASSERT (SELECT prosrc !~ 'ERRCODE = ''PT' FROM pg_proc WHERE oid = fn), fn::text || ' must not raise PTxyz itself';
    ASSERT NOT has_function_privilege('web_anon', fn, 'EXECUTE'), fn::text || ' must not be executable without a token';
  END LOOP;
END
$$;

ROLLBACK;
