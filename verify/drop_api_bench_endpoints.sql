-- Verify arkagentic:drop_api_bench_endpoints on pg

BEGIN;

DO $$
BEGIN
  ASSERT to_regclass('api.bench_baseline') IS NULL, 'api.bench_baseline must not be deployed';
  ASSERT to_regprocedure('api.bench_noop()') IS NULL, 'api.bench_noop() must not be deployed';
END
$$;

ROLLBACK;
