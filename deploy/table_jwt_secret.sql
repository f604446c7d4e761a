-- Deploy arkagentic:table_jwt_secret to pg
-- requires: schema_auth
-- The HS256 key that signs tokens. PostgREST gets the same key from its configuration.

BEGIN;

CREATE TABLE auth.jwt_secret (
  singleton  boolean PRIMARY KEY DEFAULT true CONSTRAINT jwt_secret_single_row CHECK (singleton),
  secret     text NOT NULL CONSTRAINT jwt_secret_long_enough CHECK (octet_length(secret) >= 32),
  updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE auth.jwt_secret IS 'The JWT signing key (one row). Granted to no role; set by auth.set_jwt_secret() at deploy.';

ALTER TABLE auth.jwt_secret ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.jwt_secret FORCE ROW LEVEL SECURITY;
REVOKE ALL ON auth.jwt_secret FROM PUBLIC;

COMMIT;
