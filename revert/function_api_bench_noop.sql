-- Revert arkagentic:function_api_bench_noop from pg

BEGIN;

DROP FUNCTION api.bench_noop();

COMMIT;
