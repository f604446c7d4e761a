-- Verify arkagentic:table_rate_limits on pg

BEGIN;

SELECT action, max_events, per FROM app.rate_limit_rules WHERE false;
SELECT user_id, action, tat FROM app.rate_limit_state WHERE false;
SELECT 1/count(*) FROM app.rate_limit_rules WHERE action = 'send_message';
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.rate_limit_rules'::regclass),
    'row-level security must be enabled and forced on app.rate_limit_rules';
END
$$;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'app.rate_limit_state'::regclass),
    'row-level security must be enabled and forced on app.rate_limit_state';
END
$$;

ROLLBACK;
