-- Verify arkagentic:table_identity_limits on pg

BEGIN;

SELECT action, bucket, tat FROM app.rate_limit_buckets WHERE false;
SELECT key, failures, window_start, last_failure_at FROM auth.register_throttle WHERE false;
SELECT trusted_client_address_header, abandoned_anonymous_after, housekeeping_every, housekeeping_batch,
       housekeeping_last_run_at
  FROM app.identity_settings WHERE false;

DO $$
BEGIN
  IF (SELECT count(*) FROM app.identity_settings) <> 1 THEN
    RAISE EXCEPTION 'app.identity_settings must hold exactly one row';
  END IF;
  IF (SELECT count(*) FROM app.rate_limit_rules
       WHERE action IN ('login_anonymous', 'login_anonymous_per_address', 'login_failures_per_email',
                        'register_failures_per_caller', 'register_failures_per_email')) <> 5 THEN
    RAISE EXCEPTION 'the identity limits are missing from app.rate_limit_rules';
  END IF;
  IF EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE (n.nspname, c.relname) IN (('app', 'rate_limit_buckets'), ('auth', 'register_throttle'),
                                               ('app', 'identity_settings'))
                AND NOT (c.relrowsecurity AND c.relforcerowsecurity)) THEN
    RAISE EXCEPTION 'row-level security must be enabled and forced on the identity limit tables';
  END IF;
  IF to_regclass('app.users_anonymous_last_seen_idx') IS NULL THEN
    RAISE EXCEPTION 'app.users_anonymous_last_seen_idx is missing';
  END IF;
END
$$;

ROLLBACK;
