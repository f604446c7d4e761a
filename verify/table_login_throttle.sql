-- Verify arkagentic:table_login_throttle on pg

BEGIN;

SELECT email, failures, window_start, last_failure_at FROM auth.login_throttle WHERE false;
DO $$
BEGIN
  ASSERT (SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE oid = 'auth.login_throttle'::regclass),
    'row-level security must be enabled and forced on auth.login_throttle';
END
$$;

ROLLBACK;
