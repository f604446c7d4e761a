-- Verify arkagentic:rate_limit_start_private_chat on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

DO $$
BEGIN
  ASSERT EXISTS (SELECT FROM app.rate_limit_rules WHERE action = 'start_private_chat'),
    'app.rate_limit_rules must have a start_private_chat rule';
END
$$;

ROLLBACK;
