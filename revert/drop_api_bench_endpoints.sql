-- Revert arkagentic:drop_api_bench_endpoints from pg
-- The two objects as view_api_bench_baseline and function_api_bench_noop made them. OR REPLACE, because a
-- test or bench database already has them from db/bench_endpoints.sql when make test reverts to zero.

BEGIN;

CREATE OR REPLACE VIEW api.bench_baseline AS SELECT 1 AS id, 'ok'::text AS status;
COMMENT ON VIEW api.bench_baseline IS 'One constant row: the benchmark baseline for PostgREST itself.';
COMMENT ON COLUMN api.bench_baseline.id IS 'Always 1.';
COMMENT ON COLUMN api.bench_baseline.status IS 'Always ok.';
GRANT SELECT ON api.bench_baseline TO web_anon;

CREATE OR REPLACE FUNCTION api.bench_noop() RETURNS integer
  LANGUAGE sql VOLATILE
  SET search_path = ''
  AS $$ SELECT 1 $$;
COMMENT ON FUNCTION api.bench_noop() IS
$$Do nothing and return 1.

The benchmark baseline for PostgREST calling a function; see bench/RESULTS.md.$$;
GRANT EXECUTE ON FUNCTION api.bench_noop() TO web_anon, player;

COMMIT;
