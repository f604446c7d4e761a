-- Verify arkagentic:function_api_register on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
DECLARE
  fn regprocedure;
BEGIN
  FOREACH fn IN ARRAY ARRAY['api.register(text,text)'::regprocedure] LOOP
    ASSERT (SELECT 'search_path=""' = ANY (proconfig) AND prosecdef FROM pg_proc WHERE oid = fn),
      fn::text || ' must pin its search_path and be SECURITY DEFINER';
    -- Its 4xx go through app.raise_api_error: no PTxyz SQLSTATE of its own, whose message would be the status line.
    ASSERT (SELECT prosrc !~ 'ERRCODE = ''PT' FROM pg_proc WHERE oid = fn), fn::text || ' must not raise PTxyz itself';
  END LOOP;
END
$$;

ROLLBACK;
