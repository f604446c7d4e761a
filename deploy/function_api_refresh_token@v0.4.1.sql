-- Deploy arkagentic:function_api_refresh_token to pg
-- requires: function_api_refresh_token@v0.4.0 function_auth_jwt function_auth_revocation
-- The fresh token keeps the old one's session (sid) and generation (gen): whatever revokes the old
-- token revokes the new one too, even a logout that commits while this call runs. So a revoked token
-- cannot be extended, and refreshing never escapes a logout_everywhere.

BEGIN;

CREATE OR REPLACE FUNCTION api.refresh_token() RETURNS json
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- needs the signing key
  SET search_path = ''
  AS $$
DECLARE
  me     uuid := auth.user_id();
  claims jsonb := auth.claims();
  sid    uuid;
  gen    integer := 0;
BEGIN
  -- PostgREST's pre-request check has refused a revoked token already; this holds without it too.
  IF auth.token_revoked(claims) THEN
    PERFORM auth.raise_token_revoked();
  END IF;
  UPDATE app.users SET last_seen_at = pg_catalog.now() WHERE id = me;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this account no longer exists'
      USING ERRCODE = 'PT401', HINT = 'Sign in again with /rpc/login_anonymous or /rpc/login.';
  END IF;
  IF claims ->> 'sid' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    sid := (claims ->> 'sid')::uuid;
  ELSE
    sid := pg_catalog.gen_random_uuid();  -- a token from before sessions: it starts one
  END IF;
  IF pg_catalog.jsonb_typeof(claims -> 'gen') = 'number' AND claims ->> 'gen' ~ '^[0-9]{1,9}$' THEN
    gen := (claims ->> 'gen')::integer;
  END IF;
  RETURN auth.issue_session_token(me, sid, gen);
END
$$;
COMMENT ON FUNCTION api.refresh_token() IS
$$Get a fresh token for yourself.

Returns {user_id, token, expires_at} with a new 24-hour expiry. Call it before the old token expires.
The new token belongs to the same session: logout with either revokes both.$$;

COMMIT;
