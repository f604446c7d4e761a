-- Revert arkagentic:function_api_refresh_token from pg: a new session on every refresh again.

BEGIN;

CREATE OR REPLACE FUNCTION api.refresh_token() RETURNS json
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- needs the signing key
  SET search_path = ''
  AS $$
DECLARE
  me uuid := auth.user_id();
BEGIN
  UPDATE app.users SET last_seen_at = pg_catalog.now() WHERE id = me;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'this account no longer exists'
      USING ERRCODE = 'PT401', HINT = 'Sign in again with /rpc/login_anonymous or /rpc/login.';
  END IF;
  RETURN auth.issue_token(me);
END
$$;
COMMENT ON FUNCTION api.refresh_token() IS
$$Get a fresh token for yourself.

Returns {user_id, token, expires_at} with a new 24-hour expiry. Call it before the old token expires.$$;

COMMIT;
