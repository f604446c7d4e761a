-- Revert arkagentic:table_rate_limits from pg

BEGIN;

DROP TABLE app.rate_limit_state;
DROP TABLE app.rate_limit_rules;

COMMIT;
