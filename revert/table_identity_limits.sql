-- Revert arkagentic:table_identity_limits from pg

BEGIN;

DROP INDEX app.users_anonymous_last_seen_idx;
DROP TABLE app.identity_settings;
DROP TABLE auth.register_throttle;
DROP TABLE app.rate_limit_buckets;
DELETE FROM app.rate_limit_rules
 WHERE action IN ('login_anonymous', 'login_anonymous_per_address', 'login_failures_per_email',
                  'register_failures_per_caller', 'register_failures_per_email');
COMMENT ON TABLE app.rate_limit_rules IS 'At most max_events of an action per user within any window of length per. Edit rows to change limits.';

COMMIT;
