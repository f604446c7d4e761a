-- Deploy arkagentic:drop_api_bench_endpoints to pg
-- requires: view_api_bench_baseline
-- requires: function_api_bench_noop
-- The benchmark baselines leave the api schema that make up, compose and deploy.sh serve: anyone could
-- call them in production (issue 9, section 3). Test and bench databases get them back from
-- db/bench_endpoints.sql, which no deploy loads (scripts/lib/fresh_db.sh, fresh_db_bench_endpoints).

BEGIN;

DROP VIEW api.bench_baseline;
DROP FUNCTION api.bench_noop();

COMMIT;
