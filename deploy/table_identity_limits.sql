-- Deploy arkagentic:table_identity_limits to pg
-- requires: table_rate_limits
-- requires: table_login_throttle
-- requires: table_users
-- Issue 9, section 3: accounts were free (862 anonymous sign-ups a second), register let one token probe
-- emails without limit, and login's throttle had no rule an operator could change.
--
-- Every identity limit is a row of app.rate_limit_rules, the table chat's limits live in, so there is
-- one place to read and edit limits. Two kinds of state use those rules:
--   * app.rate_limit_buckets: the same GCRA state as app.rate_limit_state (one theoretical arrival time),
--     keyed by a bucket name instead of a user: '*' for a global bucket, 'address:<ip>' per client
--     address. A row whose tat has passed means the same as no row, so expired rows are pruned freely.
--   * auth.register_throttle: failed register attempts in a fixed window, as auth.login_throttle counts
--     failed logins: the window and its lockout are what players are told ("locked for 15 minutes").

BEGIN;

COMMENT ON TABLE app.rate_limit_rules IS
  'At most max_events of an action within any window of length per: per user (app.rate_limit_state), per bucket (app.rate_limit_buckets), or failed attempts per window (auth.login_throttle, auth.register_throttle). Edit rows to change limits; delete a row to lift its limit.';

INSERT INTO app.rate_limit_rules (action, max_events, per) VALUES
  -- New anonymous accounts from everyone together: a circuit breaker, so sign-ups cannot outrun the
  -- cleanup and the per-player limits whatever the callers' addresses are.
  ('login_anonymous',             600, interval '10 minutes'),
  -- New anonymous accounts per client address; applies only with a trusted forwarding header.
  ('login_anonymous_per_address',  30, interval '1 hour'),
  -- Failed logins per email: then the email is locked for the rest of the window.
  ('login_failures_per_email',      5, interval '15 minutes'),
  -- Failed registrations (the email was taken) per caller and per email.
  ('register_failures_per_caller',  5, interval '15 minutes'),
  ('register_failures_per_email',   5, interval '15 minutes');

CREATE TABLE app.rate_limit_buckets (
  action text NOT NULL REFERENCES app.rate_limit_rules (action) ON DELETE CASCADE,
  bucket text NOT NULL CONSTRAINT rate_limit_buckets_bucket_shape CHECK (char_length(bucket) BETWEEN 1 AND 64),
  tat    timestamptz NOT NULL,
  PRIMARY KEY (action, bucket)
);
COMMENT ON TABLE app.rate_limit_buckets IS
  'GCRA theoretical arrival time per action and bucket (''*'' global, ''address:<ip>'' per client address); a row whose tat has passed is the same as no row.';
-- Pruning reads the expired rows first.
CREATE INDEX rate_limit_buckets_tat_idx ON app.rate_limit_buckets (tat);
ALTER TABLE app.rate_limit_buckets ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.rate_limit_buckets FORCE ROW LEVEL SECURITY;
REVOKE ALL ON app.rate_limit_buckets FROM PUBLIC;

CREATE TABLE auth.register_throttle (
  key             text PRIMARY KEY CONSTRAINT register_throttle_key_shape CHECK (key ~ '^(caller|email):' AND char_length(key) <= 300),
  failures        integer NOT NULL CONSTRAINT register_throttle_failures_positive CHECK (failures >= 0),
  window_start    timestamptz NOT NULL,
  last_failure_at timestamptz NOT NULL
);
COMMENT ON TABLE auth.register_throttle IS
  'Register attempts that found the email taken, per ''caller:<user id>'' and per ''email:<address>'', within the current window (see api.register).';
CREATE INDEX register_throttle_last_failure_idx ON auth.register_throttle (last_failure_at);
ALTER TABLE auth.register_throttle ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.register_throttle FORCE ROW LEVEL SECURITY;
REVOKE ALL ON auth.register_throttle FROM PUBLIC;

-- Per-installation settings of the identity limits: one row.
CREATE TABLE app.identity_settings (
  singleton boolean PRIMARY KEY DEFAULT true CONSTRAINT identity_settings_single_row CHECK (singleton),
  -- The request header a reverse proxy in front of PostgREST sets to the client's address, lower case
  -- as PostgREST passes header names; NULL when PostgREST is reached directly. Set at deploy from
  -- TRUSTED_CLIENT_ADDRESS_HEADER (db/configure.sql).
  trusted_client_address_header text CONSTRAINT identity_settings_header_shape
    CHECK (trusted_client_address_header ~ '^[a-z0-9-]{1,64}$'),
  -- An anonymous account without chats, credentials or presence is deleted when it has not been seen
  -- for this long.
  abandoned_anonymous_after interval NOT NULL DEFAULT interval '30 days'
    CONSTRAINT identity_settings_abandoned_after_day CHECK (abandoned_anonymous_after >= interval '1 day'),
  -- The housekeeping (that cleanup, expired throttle and bucket rows) runs at most this often, from
  -- login_anonymous, and deletes at most housekeeping_batch rows of each kind per run.
  housekeeping_every interval NOT NULL DEFAULT interval '10 minutes'
    CONSTRAINT identity_settings_every_positive CHECK (housekeeping_every > interval '0'),
  housekeeping_batch integer NOT NULL DEFAULT 200
    CONSTRAINT identity_settings_batch_range CHECK (housekeeping_batch BETWEEN 1 AND 10000),
  housekeeping_last_run_at timestamptz NOT NULL DEFAULT '-infinity'
);
COMMENT ON TABLE app.identity_settings IS
  'Per-installation settings of the identity limits (one row): the trusted client address header, when an abandoned anonymous account is deleted, and how often and how much housekeeping runs.';
INSERT INTO app.identity_settings DEFAULT VALUES;
ALTER TABLE app.identity_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.identity_settings FORCE ROW LEVEL SECURITY;
REVOKE ALL ON app.identity_settings FROM PUBLIC;

-- The cleanup reads the anonymous accounts seen longest ago first.
CREATE INDEX users_anonymous_last_seen_idx ON app.users (last_seen_at) WHERE is_anonymous;

COMMIT;
