-- Deploy arkagentic:table_credentials to pg
-- requires: schema_auth table_users
-- bcrypt password hashes, apart from app.users so that no grant on a profile can ever reach them.

BEGIN;

CREATE TABLE auth.credentials (
  user_id       uuid PRIMARY KEY REFERENCES app.users (id) ON DELETE CASCADE,
  password_hash text NOT NULL CONSTRAINT credentials_bcrypt CHECK (password_hash ~ '^\$2[abxy]\$'),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE auth.credentials IS 'Password hashes (bcrypt). Granted to no role: only SECURITY DEFINER functions in api read them.';

-- No policy: with RLS forced and no grant, every API role sees nothing.
ALTER TABLE auth.credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.credentials FORCE ROW LEVEL SECURITY;
REVOKE ALL ON auth.credentials FROM PUBLIC;

COMMIT;
