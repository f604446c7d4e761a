-- The benchmark baselines, for test and bench databases only: GET /bench_baseline (PostgREST reading one
-- constant row, no table and no RLS) and POST /rpc/bench_noop (a function call that does no work, in the
-- read-write transaction PostgREST opens for send_message). bench/RESULTS.md sets every REST figure beside
-- them. No Sqitch change and no deploy loads this file, so make up, compose and deploy.sh never serve them
-- (the change drop_api_bench_endpoints removed them from the plain schema, db/schema.sql); scripts/lib/
-- fresh_db.sh's fresh_db_bench_endpoints loads it. Safe to load twice.

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
REVOKE EXECUTE ON FUNCTION api.bench_noop() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.bench_noop() TO web_anon, player;

COMMIT;
