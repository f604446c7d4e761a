-- Deploy arkagentic:schema_auth to pg
-- Identity: JWT signing, password hashes and login throttling. Its tables are readable by no API role.

BEGIN;

CREATE SCHEMA auth;
COMMENT ON SCHEMA auth IS 'Identity: JWT signing, password hashes and login throttling. Its tables are readable by no API role.';

-- Policies call auth.user_id() as the caller; no table in auth is granted to anyone.
GRANT USAGE ON SCHEMA auth TO web_anon, player, agent_service, content_admin;

COMMIT;
