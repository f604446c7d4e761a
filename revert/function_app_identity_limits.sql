-- Revert arkagentic:function_app_identity_limits from pg

BEGIN;

DROP FUNCTION app.identity_housekeeping(boolean);
DROP FUNCTION app.purge_abandoned_anonymous_users(integer, interval);
DROP FUNCTION app.set_trusted_client_address_header(text);
DROP FUNCTION app.client_address_bucket();
DROP FUNCTION app.rate_limit_hit_bucket(text, text);
DROP FUNCTION auth.register_attempt(text, text);
DROP FUNCTION app.duration_words(interval);

COMMIT;
