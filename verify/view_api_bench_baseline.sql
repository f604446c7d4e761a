-- Verify arkagentic:view_api_bench_baseline on pg

BEGIN;

SELECT 1/count(*) FROM api.bench_baseline WHERE id = 1;

ROLLBACK;
