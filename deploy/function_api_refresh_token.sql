-- Deploy arkagentic:function_api_refresh_token to pg
-- requires: function_api_refresh_token@v0.4.1
-- requires: function_app_raise
-- Its 401 for an account that is gone goes through app.raise_api_error (a standard status line), like
-- every other refusal; the rest is v0.4.1's.

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
    PERFORM app.raise_api_error(401, 'PT401', 'this account no longer exists',
                                'Sign in again with /rpc/login_anonymous or /rpc/login.');
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

COMMIT;
