-- Deploy arkagentic:table_login_throttle to pg
-- requires: schema_auth
-- Failed logins per email, in the database so the limit survives a restart of anything.

BEGIN;

CREATE TABLE auth.login_throttle (
  email           text PRIMARY KEY,
  failures        integer NOT NULL DEFAULT 0 CONSTRAINT login_throttle_failures_positive CHECK (failures >= 0),
  window_start    timestamptz NOT NULL DEFAULT now(),
  last_failure_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE auth.login_throttle IS 'Failed login attempts per email within the current window (see api.login).';

CREATE INDEX login_throttle_last_failure_idx ON auth.login_throttle (last_failure_at);

ALTER TABLE auth.login_throttle ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.login_throttle FORCE ROW LEVEL SECURITY;
REVOKE ALL ON auth.login_throttle FROM PUBLIC;

COMMIT;
