-- Deploy arkagentic:function_auth_revocation to pg
-- requires: function_auth_revocation@v0.4.1
-- requires: function_app_raise
--
-- The revoked token's 401 and logout's "sign in first" go through app.raise_api_error, the one way this
-- project raises an HTTP 4xx (standard status line, fixed message, values in details). The revoked
-- token's answer keeps its status, code, message, hint, details and WWW-Authenticate header; logout's
-- status line was its message.

BEGIN;

CREATE OR REPLACE FUNCTION auth.raise_token_revoked() RETURNS void
  LANGUAGE plpgsql VOLATILE
  SET search_path = ''
  AS $$
BEGIN
  PERFORM app.raise_api_error(401, 'PT401', 'the token has been revoked',
            'Sign in again with /rpc/login_anonymous or /rpc/login.', '{"reason": "revoked"}',
            '{"WWW-Authenticate": "Bearer error=\"invalid_token\", error_description=\"the token has been revoked\""}');
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
    PERFORM app.raise_api_error(401, 'PT401', 'sign in first', 'Send the token to revoke as Authorization: Bearer <token>.');
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
    PERFORM app.raise_api_error(401, 'PT401', 'sign in first', 'Send one of the tokens to revoke as Authorization: Bearer <token>.');
  END IF;
  PERFORM auth.prune_token_revocations();
  PERFORM auth.revoke_subject(subject);
  RETURN pg_catalog.json_build_object('revoked', 'all');
END
$$;

COMMIT;
