-- Deploy arkagentic:function_api_bench_noop to pg
-- requires: schema_api
-- The baseline for RPC benchmarks: a POST /rpc call that does no work, in the same read-write
-- transaction PostgREST opens for send_message. bench/RESULTS.md sets RPC figures beside it.

BEGIN;

CREATE FUNCTION api.bench_noop() RETURNS integer
  LANGUAGE sql VOLATILE
  SET search_path = ''
  AS $$ SELECT 1 $$;
COMMENT ON FUNCTION api.bench_noop() IS
$$Do nothing and return 1.

The benchmark baseline for PostgREST calling a function; see bench/RESULTS.md.$$;
GRANT EXECUTE ON FUNCTION api.bench_noop() TO web_anon, player;

COMMIT;
