-- Revert arkagentic:function_auth_revocation from pg
-- Back to the 401s of v0.4.1, raised inline.

BEGIN;

CREATE OR REPLACE FUNCTION auth.raise_token_revoked() RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
BEGIN
  -- PostgREST 12's own-response form: the status line is the standard one and nothing in it comes
  -- from the client. (Written inline until app.raise_api_error lands.)
  RAISE SQLSTATE 'PGRST' USING
    MESSAGE = '{"code":"PT401","message":"the token has been revoked","details":"{\"reason\":\"revoked\"}","hint":"Sign in again with /rpc/login_anonymous or /rpc/login."}',
    DETAIL = '{"status":401,"status_text":"Unauthorized","headers":{"WWW-Authenticate":"Bearer error=\"invalid_token\", error_description=\"the token has been revoked\""}}';
END
$$;

CREATE OR REPLACE FUNCTION api.logout() RETURNS json
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- writes auth.token_revocations
  SET search_path = ''
  AS $$
DECLARE
  claims  jsonb := auth.claims();
  subject text := auth.token_subject(claims);
  sid     text := claims ->> 'sid';
  expires timestamptz;
BEGIN
  IF subject IS NULL OR (claims ->> 'role' = 'player' AND auth.user_id() IS NULL) THEN
    RAISE EXCEPTION 'sign in first'
      USING ERRCODE = 'PT401', HINT = 'Send the token to revoke as Authorization: Bearer <token>.';
  END IF;
  PERFORM auth.prune_token_revocations();
  IF sid IS NULL OR sid !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
    -- A token from before sessions existed: only its subject's generation can revoke it.
    PERFORM auth.revoke_subject(subject);
    RETURN pg_catalog.json_build_object('revoked', 'all');
  END IF;
  -- Kept until every token of the session has expired: refresh_token can have made one up to 24 hours
  -- ago (now, at the latest), and PostgREST and the bridge tolerate some clock skew.
  IF pg_catalog.jsonb_typeof(claims -> 'exp') = 'number' AND (claims ->> 'exp')::numeric < 1e11 THEN
    expires := GREATEST(pg_catalog.to_timestamp((claims ->> 'exp')::double precision),
                        pg_catalog.now() + interval '24 hours') + interval '5 minutes';
  END IF;
  INSERT INTO auth.token_revocations (key, expires_at) VALUES ('sid:' || sid, expires)
  ON CONFLICT (key) DO NOTHING;
  PERFORM pg_catalog.pg_notify('token_revoked', pg_catalog.json_build_object('sid', sid)::text);
  RETURN pg_catalog.json_build_object('revoked', 'session');
END
$$;

CREATE OR REPLACE FUNCTION api.logout_everywhere() RETURNS json
  LANGUAGE plpgsql VOLATILE
  SECURITY DEFINER  -- writes auth.token_revocations
  SET search_path = ''
  AS $$
DECLARE
  claims  jsonb := auth.claims();
  subject text := auth.token_subject(claims);
BEGIN
  IF subject IS NULL OR (claims ->> 'role' = 'player' AND auth.user_id() IS NULL) THEN
    RAISE EXCEPTION 'sign in first'
      USING ERRCODE = 'PT401', HINT = 'Send one of the tokens to revoke as Authorization: Bearer <token>.';
  END IF;
  PERFORM auth.prune_token_revocations();
  PERFORM auth.revoke_subject(subject);
  RETURN pg_catalog.json_build_object('revoked', 'all');
END
$$;

COMMIT;
