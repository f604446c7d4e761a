-- Verify arkagentic:function_api_bench_noop on pg

BEGIN;

SELECT 1/api.bench_noop();
DO $$
BEGIN
  ASSERT has_function_privilege('player', 'api.bench_noop()', 'EXECUTE'), 'player must execute api.bench_noop()';
  ASSERT NOT has_function_privilege('public', 'api.bench_noop()', 'EXECUTE'), 'PUBLIC must not execute api.bench_noop()';
END
$$;

ROLLBACK;
