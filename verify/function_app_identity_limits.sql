-- Verify arkagentic:function_app_identity_limits on pg

BEGIN;

SELECT 'app.identity_housekeeping(boolean)'::regprocedure, 'app.purge_abandoned_anonymous_users(integer, interval)'::regprocedure,
       'app.set_trusted_client_address_header(text)'::regprocedure, 'app.client_address_bucket()'::regprocedure,
       'app.rate_limit_hit_bucket(text, text)'::regprocedure, 'app.duration_words(interval)'::regprocedure,
       'auth.register_attempt(text, text)'::regprocedure;

DO $$
BEGIN
  IF app.duration_words(interval '15 minutes') <> '15 minutes' OR app.duration_words(interval '1 hour') <> '1 hour' THEN
    RAISE EXCEPTION 'app.duration_words does not say windows in words';
  END IF;
  PERFORM set_config('request.headers', '{"x-forwarded-for": "203.0.113.9, 198.51.100.7"}', true);
  IF app.client_address_bucket() IS NOT NULL AND
     (SELECT trusted_client_address_header FROM app.identity_settings) IS NULL THEN
    RAISE EXCEPTION 'without a trusted header, app.client_address_bucket must answer NULL';
  END IF;
END
$$;

ROLLBACK;
