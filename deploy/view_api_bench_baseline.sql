-- Deploy arkagentic:view_api_bench_baseline to pg
-- requires: schema_api
-- The benchmark baseline: PostgREST reading one constant row, no table and no RLS. Every REST
-- figure in bench/RESULTS.md is set beside this one, measured in the same run.

BEGIN;

CREATE VIEW api.bench_baseline AS SELECT 1 AS id, 'ok'::text AS status;
COMMENT ON VIEW api.bench_baseline IS 'One constant row: the benchmark baseline for PostgREST itself.';
COMMENT ON COLUMN api.bench_baseline.id IS 'Always 1.';
COMMENT ON COLUMN api.bench_baseline.status IS 'Always ok.';
GRANT SELECT ON api.bench_baseline TO web_anon;

COMMIT;
