-- Revert arkagentic:view_api_bench_baseline from pg

BEGIN;

DROP VIEW api.bench_baseline;

COMMIT;
