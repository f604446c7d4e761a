-- Deploy arkagentic:table_token_revocations to pg
-- requires: schema_auth
-- What has been revoked, looked up by PostgREST's pre-request check on every request with a token, so
-- one primary-key probe answers it. Two kinds of row:
--   sid:<uuid>   one session (a token and the tokens refresh_token made from it): api.logout.
--                Kept until every token of that session has expired, then pruned.
--   user:<uuid>  all of a player's tokens, and role:<name> all tokens of a service role, issued before
--   role:<name>  `generation` was reached: api.logout_everywhere. Tokens carry the generation they were
--                issued in (claim gen, 0 when absent); a row whose generation is higher revokes them.
-- Rows are written only on logout, so the table stays small: no row per issued token.

BEGIN;

CREATE TABLE auth.token_revocations (
  key         text PRIMARY KEY
              CONSTRAINT token_revocations_key_form CHECK (key ~ '^(sid|user|role):.'),
  -- user:/role: rows only: tokens with a smaller gen claim are revoked.
  generation  integer CONSTRAINT token_revocations_generation_positive CHECK (generation > 0),
  revoked_at  timestamptz NOT NULL DEFAULT now(),
  -- sid: rows only: after this every token of the session has expired and the row can go. NULL: never
  -- (a token without exp, or a generation row).
  expires_at  timestamptz,
  CONSTRAINT token_revocations_kind CHECK ((key LIKE 'sid:%') = (generation IS NULL))
);
COMMENT ON TABLE auth.token_revocations IS
  'Revoked sessions (sid:) and per-subject token generations (user:, role:); see api.logout and api.logout_everywhere.';

CREATE INDEX token_revocations_expires_idx ON auth.token_revocations (expires_at) WHERE expires_at IS NOT NULL;

ALTER TABLE auth.token_revocations ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth.token_revocations FORCE ROW LEVEL SECURITY;
REVOKE ALL ON auth.token_revocations FROM PUBLIC;

COMMIT;
